import type { SqlDriver } from '../storage/sql/sql-driver.js';
import { VerifiedTokens } from './verified-tokens.js';

/** What oidc-provider stores for a model instance (see panva/node-oidc-provider example/my_adapter.js). */
export type AdapterPayload = Record<string, unknown> & {
  grantId?: string;
  userCode?: string;
  uid?: string;
  consumed?: number;
};

interface Row {
  payload: string;
  expires_at: number | string | null;
  consumed_at: number | string | null;
}

const now = () => Date.now();
/** Expired rows are swept at most this often per process: cheap, and every process over one database helps. */
const SWEEP_EVERY_MS = 60_000;
const lastSweep = new WeakMap<SqlDriver, number>();
/** The models whose removal must reach resource servers that remember verified tokens. */
const BEARER_MODELS = new Set(['AccessToken', 'ClientCredentials']);

/**
 * The oidc-provider storage adapter over the server's SQL database (SQLite or PostgreSQL), so that several server
 * processes over one database share sessions, codes, tokens, grants, launches and replay detection.
 */
export class SqlAdapter {
  constructor(
    private readonly driver: SqlDriver,
    private readonly model: string,
  ) {}

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    const expiresAt = expiresIn ? now() + expiresIn * 1000 : null;
    await this.driver.transaction((c) =>
      c.run(
        `INSERT INTO oauth_state (model, id, payload, grant_id, user_code, uid, expires_at, consumed_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, NULL)
         ON CONFLICT (model, id) DO UPDATE SET payload = excluded.payload, grant_id = excluded.grant_id,
           user_code = excluded.user_code, uid = excluded.uid, expires_at = excluded.expires_at`,
        [this.model, id, JSON.stringify(payload), payload.grantId ?? null, payload.userCode ?? null, payload.uid ?? null, expiresAt],
      ),
    );
    await this.sweep();
  }

  /** Stores a value unless one exists: concurrent writers agree on the first (shared secrets). */
  async insertIfAbsent(id: string, payload: AdapterPayload): Promise<void> {
    await this.driver.transaction((c) =>
      c.run('INSERT INTO oauth_state (model, id, payload) VALUES (?, ?, ?) ON CONFLICT (model, id) DO NOTHING', [
        this.model,
        id,
        JSON.stringify(payload),
      ]),
    );
  }

  find(id: string): Promise<AdapterPayload | undefined> {
    return this.findWhere('id = ?', id);
  }

  findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return this.findWhere('uid = ?', uid);
  }

  findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return this.findWhere('user_code = ?', userCode);
  }

  async consume(id: string): Promise<void> {
    await this.driver.transaction((c) =>
      c.run('UPDATE oauth_state SET consumed_at = ? WHERE model = ? AND id = ?', [Math.floor(now() / 1000), this.model, id]),
    );
  }

  /** Marks a row consumed only if it was not already: true for exactly one caller (single-use values). */
  async consumeOnce(id: string): Promise<boolean> {
    const changed = await this.driver.transaction((c) =>
      c.run('UPDATE oauth_state SET consumed_at = ? WHERE model = ? AND id = ? AND consumed_at IS NULL AND (expires_at IS NULL OR expires_at > ?)', [
        Math.floor(now() / 1000),
        this.model,
        id,
        now(),
      ]),
    );
    return changed === 1;
  }

  async destroy(id: string): Promise<void> {
    await this.driver.transaction((c) => c.run('DELETE FROM oauth_state WHERE model = ? AND id = ?', [this.model, id]));
    if (BEARER_MODELS.has(this.model)) await VerifiedTokens.announce(this.driver, { token: id });
    else if (this.model === 'Grant') await VerifiedTokens.announce(this.driver, { grant: id });
  }

  /**
   * Revoking a grant removes everything issued under it, whatever the model (codes, tokens, SMART context).
   * oidc-provider asks the adapter of each model in turn: the first removes it all and announces it, once.
   */
  async revokeByGrantId(grantId: string): Promise<void> {
    const removed = await this.driver.transaction((c) => c.run('DELETE FROM oauth_state WHERE grant_id = ?', [grantId]));
    if (removed > 0) await VerifiedTokens.announce(this.driver, { grant: grantId });
  }

  private async findWhere(where: string, value: string): Promise<AdapterPayload | undefined> {
    const rows = await this.driver.reader.all<Row>(
      `SELECT payload, expires_at, consumed_at FROM oauth_state WHERE model = ? AND ${where}`,
      [this.model, value],
    );
    const row = rows[0];
    if (!row) return undefined;
    if (row.expires_at !== null && Number(row.expires_at) <= now()) return undefined;
    const payload = JSON.parse(row.payload) as AdapterPayload;
    if (row.consumed_at !== null) payload.consumed = Number(row.consumed_at);
    return payload;
  }

  private async sweep(): Promise<void> {
    const last = lastSweep.get(this.driver) ?? 0;
    if (now() - last < SWEEP_EVERY_MS) return;
    lastSweep.set(this.driver, now());
    await this.driver.transaction((c) => c.run('DELETE FROM oauth_state WHERE expires_at IS NOT NULL AND expires_at < ?', [now()]));
  }
}
