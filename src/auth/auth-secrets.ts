import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { ConfigError, type Config } from '../config/config.js';
import type { Logger } from '../logger.js';
import type { SqlDriver } from '../storage/sql/sql-driver.js';
import { SqlAdapter } from './sql-adapter.js';

export interface AuthSecrets {
  /** Private signing keys (ID tokens are RS256: scopes-and-launch-context.html#scopes-for-requesting-identity-data). */
  jwks: { keys: JWK[] };
  cookieKeys: string[];
}

/**
 * Signing keys and cookie secrets from configuration. Without them (development only) they are generated once and
 * stored in the database, so that every process over one database signs and verifies alike; production refuses.
 */
export async function loadAuthSecrets(config: Config, driver: SqlDriver, logger: Logger): Promise<AuthSecrets> {
  const missing = [!config.authJwks && 'AUTH_JWKS', !config.authCookieKeys && 'AUTH_COOKIE_KEYS'].filter(Boolean);
  if (missing.length && config.production) {
    throw new ConfigError(`Invalid configuration:\n  ${missing.join(', ')} must be set when NODE_ENV=production (no generated secrets)`);
  }
  if (missing.length) logger.warn('auth-dev-secrets', { settings: missing, note: 'generated and stored in the database; set them for production' });
  const store = new SqlAdapter(driver, 'ServerSecret');
  const jwks = config.authJwks ? (JSON.parse(config.authJwks) as { keys: JWK[] }) : await shared(store, 'jwks', generateJwks);
  if (!jwks.keys.some((k) => k.kty === 'RSA' && k.d)) throw new ConfigError('Invalid configuration:\n  AUTH_JWKS needs a private RSA key (ID tokens are signed RS256)');
  const cookieKeys = config.authCookieKeys
    ? config.authCookieKeys.split(',').map((k) => k.trim())
    : (await shared(store, 'cookie-keys', async () => ({ keys: [randomBytes(32).toString('base64url')] }))).keys;
  return { jwks, cookieKeys };
}

/** First writer wins: concurrent processes starting together all end up with the same value. */
async function shared<T extends { keys: unknown[] }>(store: SqlAdapter, id: string, make: () => Promise<T>): Promise<T> {
  const existing = await store.find(id);
  if (existing) return existing as unknown as T;
  const value = await make();
  try {
    await store.insertIfAbsent(id, value as unknown as Record<string, unknown>);
  } catch {
    // another process inserted first; read theirs below
  }
  return (await store.find(id)) as unknown as T;
}

async function generateJwks(): Promise<{ keys: JWK[] }> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true, modulusLength: 2048 });
  const jwk = await exportJWK(privateKey);
  return { keys: [{ ...jwk, alg: 'RS256', use: 'sig', kid: randomBytes(8).toString('hex') }] };
}
