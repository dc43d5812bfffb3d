import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../../src/config/config.js';
import { openDriver } from '../../src/main.js';
import type { SqlDriver } from '../../src/storage/sql/sql-driver.js';

/**
 * Fresh, isolated databases for tests: a temporary SQLite directory, or a new PostgreSQL database created on the
 * server named by TEST_POSTGRES_URL (default: the local one). PostgreSQL is required: a suite that cannot connect
 * fails, it is never skipped.
 */
export type Store = 'sqlite' | 'postgres';
export const STORES: Store[] = ['sqlite', 'postgres'];

const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  env: Record<string, string>;
  drop(): Promise<void>;
}

export async function createTestDatabase(store: Store): Promise<TestDatabase> {
  if (store === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'ccf-test-'));
    return { env: { DATA_DIR: dir }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `ccf_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(`PostgreSQL is required for the tests (TEST_POSTGRES_URL=${ADMIN_URL}): ${(err as Error).message}`);
  }
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString() },
    async drop() {
      const client = new pg.Client({ connectionString: ADMIN_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/**
 * For the enclosing describe block: a fresh database and a migrated driver over it, closed and dropped afterwards.
 * Call the returned functions inside tests (they are set in beforeAll).
 */
export function driverOnFreshDatabase(store: Store): { driver: () => SqlDriver; database: () => TestDatabase } {
  let database: TestDatabase;
  let driver: SqlDriver;
  beforeAll(async () => {
    database = await createTestDatabase(store);
    driver = await openDriver(loadConfig(database.env));
  });
  afterAll(async () => {
    await driver.close();
    await database.drop();
  });
  return { driver: () => driver, database: () => database };
}
