import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import pg from 'pg';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { silentLogger } from '../../src/logger.js';
import { startServer } from '../../src/main.js';
import { testAuthSettings } from '../helpers/auth.js';
import { createTestDatabase } from '../helpers/databases.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'auth-prod-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('secrets in production', () => {
  test('generated development secrets are refused when NODE_ENV=production', async () => {
    const env = { PORT: '0', DATA_DIR: dir, NODE_ENV: 'production', PUBLIC_URL: 'https://fhir.example.org' };
    await expect(startServer(loadConfig(env), silentLogger)).rejects.toThrow(/AUTH_JWKS, AUTH_COOKIE_KEYS must be set/);
  });

  test('a server that refuses to start closes the database connections it opened', async () => {
    const database = await createTestDatabase('postgres');
    const connections = async () => {
      const client = new pg.Client({ connectionString: database.env.DATABASE_URL });
      await client.connect();
      try {
        const { rows } = await client.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
        return rows[0].n as number;
      } finally {
        await client.end();
      }
    };
    try {
      const env = { PORT: '0', ...database.env, NODE_ENV: 'production', PUBLIC_URL: 'https://fhir.example.org' };
      await expect(startServer(loadConfig(env), silentLogger)).rejects.toThrow(/AUTH_JWKS, AUTH_COOKIE_KEYS must be set/);
      expect(await connections()).toBe(0);
    } finally {
      await database.drop();
    }
  });

  test('production needs an https public URL (SMART requires TLS)', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/PUBLIC_URL must be an https/);
  });

  test('plain demo passwords are refused in production; configured secrets are used', async () => {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(privateKey)), kid: 'prod-1', alg: 'RS256', use: 'sig' }] });
    const base = { PORT: '0', DATA_DIR: dir, NODE_ENV: 'production', PUBLIC_URL: 'https://fhir.example.org', AUTH_JWKS: jwks, AUTH_COOKIE_KEYS: 'a'.repeat(40) };
    const settings = await testAuthSettings(dir);
    await expect(startServer(loadConfig({ ...base, ...settings }), silentLogger)).rejects.toThrow(ConfigError);
    await expect(startServer(loadConfig({ ...base, ...settings }), silentLogger)).rejects.toThrow(/plain passwords are refused/);
    const server = await startServer(loadConfig(base), silentLogger);
    try {
      // as a TLS-terminating proxy in front of the server would forward it
      const keys = (await (await fetch(`${server.localUrl}/auth/jwks`, { headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'fhir.example.org' } })).json()) as { keys: { kid: string }[] };
      expect(keys.keys.map((k) => k.kid)).toEqual(['prod-1']);
    } finally {
      await server.close();
    }
  });

  test('short cookie secrets are rejected by the settings schema', () => {
    expect(() => loadConfig({ AUTH_COOKIE_KEYS: 'short' })).toThrow(/AUTH_COOKIE_KEYS/);
  });
});
