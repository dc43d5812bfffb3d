import type { AccessContext } from '../fhir/access-context.js';
import type { SqlDriver, Subscription } from '../storage/sql/sql-driver.js';

/** The channel on which the authorization server of any process announces tokens and grants that were revoked. */
export const REVOCATIONS = 'oauth_revocations';

/** What a revocation announces: one token, or every token issued under a grant. */
export type Revocation = { token: string } | { grant: string };

/** Longest an entry is trusted without the store being asked again, should an announcement ever go astray. */
const MAX_AGE_MS = 60_000;
const MAX_ENTRIES = 10_000;

interface Entry {
  access: AccessContext;
  /** Epoch milliseconds after which the entry is not used. */
  expiresAt: number;
  grantId?: string;
}

/**
 * Access tokens already found and checked in the store, so that a client's next call need not look its token up
 * again (the lookup was a third of a read's cost on PostgreSQL). An entry is dropped the moment the token or its
 * grant is announced revoked by any process over the database, when the token expires, and after a minute in any
 * case; nothing is remembered or used while announcements cannot be heard.
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, Entry>();
  /** Counts announcements: a lookup that began before one may have read what that one revoked. */
  private revocations = 0;

  private constructor(private readonly subscription: Subscription) {}

  /** Listens for revocations for as long as the driver is open. */
  static async open(driver: SqlDriver): Promise<VerifiedTokens> {
    let tokens: VerifiedTokens | undefined;
    const subscription = await driver.listen(REVOCATIONS, {
      message: (payload) => tokens?.revoked(payload),
      gap: () => tokens?.forgetAll(),
    });
    return (tokens = new VerifiedTokens(subscription));
  }

  /** Announces a revocation to every process over the database, once it is committed. */
  static announce(driver: SqlDriver, revocation: Revocation): Promise<void> {
    return driver.notify(REVOCATIONS, JSON.stringify(revocation));
  }

  /** A mark to pass to `remember` after looking a token up in the store. */
  get mark(): number {
    return this.revocations;
  }

  get(value: string): AccessContext | undefined {
    const entry = this.entries.get(value);
    if (!entry) return undefined;
    if (!this.subscription.live || entry.expiresAt <= Date.now()) {
      this.entries.delete(value);
      return undefined;
    }
    return entry.access;
  }

  /** Remembers a token found valid by a lookup that began at `mark`, unless a revocation was announced since. */
  remember(value: string, mark: number, token: { access: AccessContext; expiresAt: number; grantId?: string }): void {
    if (mark !== this.revocations || !this.subscription.live) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(value, { ...token, expiresAt: Math.min(token.expiresAt, Date.now() + MAX_AGE_MS) });
  }

  private revoked(payload: string): void {
    let revocation: Revocation;
    try {
      revocation = JSON.parse(payload) as Revocation;
    } catch {
      return this.forgetAll(); // not ours to read: be safe
    }
    this.revocations++;
    if ('token' in revocation) {
      this.entries.delete(revocation.token);
      return;
    }
    for (const [value, entry] of this.entries) if (entry.grantId === revocation.grant) this.entries.delete(value);
  }

  private forgetAll(): void {
    this.revocations++;
    this.entries.clear();
  }
}
