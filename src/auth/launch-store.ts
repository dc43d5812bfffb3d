import { randomBytes } from 'node:crypto';
import type { SqlDriver } from '../storage/sql/sql-driver.js';
import { SqlAdapter } from './sql-adapter.js';

/** A `fhirContext` item (scopes-and-launch-context.html#fhircontext): at least one of reference, canonical, identifier. */
export interface FhirContextItem {
  reference?: string;
  canonical?: string;
  identifier?: { system?: string; value?: string };
  type?: string;
  role?: string;
}

/** Launch context parameters (scopes-and-launch-context.html#launch-context-arrives-with-your-access_token). */
export interface LaunchContext {
  patient?: string;
  encounter?: string;
  /** The user the EHR launched as, e.g. `Practitioner/123`. */
  fhirUser?: string;
  need_patient_banner?: boolean;
  smart_style_url?: string;
  intent?: string;
  tenant?: string;
  fhirContext?: FhirContextItem[];
}

export interface StoredLaunch {
  /** The app this launch was made for; another client presenting it is refused. */
  clientId?: string;
  context: LaunchContext;
}

/**
 * EHR launch values (app-launch.html#launch-app-ehr-launch): opaque, bound to a context and an app, short-lived and
 * single use. Kept in the database so that any server process can resolve a launch another one created.
 */
export class LaunchStore {
  private readonly store: SqlAdapter;

  constructor(
    driver: SqlDriver,
    private readonly ttlSeconds: number,
  ) {
    this.store = new SqlAdapter(driver, 'SmartLaunch');
  }

  async create(launch: StoredLaunch): Promise<string> {
    const id = randomBytes(24).toString('base64url');
    await this.store.upsert(id, { ...launch }, this.ttlSeconds);
    return id;
  }

  /** The launch if it exists, has not expired and was not used yet. */
  async peek(id: string): Promise<StoredLaunch | undefined> {
    const found = await this.store.find(id);
    if (!found || found.consumed) return undefined;
    return found as unknown as StoredLaunch;
  }

  /** Uses the launch up: true for exactly one caller. */
  consume(id: string): Promise<boolean> {
    return this.store.consumeOnce(id);
  }
}

/**
 * The SMART context decided at consent, stored under the grant id: tokens issued from the grant (and refreshed later)
 * carry it, and revoking the grant deletes it with the tokens.
 */
export class GrantContextStore {
  private readonly store: SqlAdapter;

  constructor(driver: SqlDriver) {
    this.store = new SqlAdapter(driver, 'SmartGrantContext');
  }

  async save(grantId: string, context: LaunchContext, ttlSeconds: number): Promise<void> {
    await this.store.upsert(grantId, { ...context, grantId }, ttlSeconds);
  }

  async find(grantId: string): Promise<LaunchContext | undefined> {
    const found = await this.store.find(grantId);
    if (!found) return undefined;
    const { grantId: _grantId, consumed: _consumed, ...context } = found;
    return context as LaunchContext;
  }
}
