import type { SqlDriver } from './sql-driver.js';

/**
 * Versioned schema migrations, applied in order at start-up. Each entry is written once for both dialects: the
 * types used (TEXT, BIGINT, DOUBLE PRECISION) mean the same in SQLite and PostgreSQL, except where `content`
 * differs (PostgreSQL keeps JSONB).
 */
interface Migration {
  version: number;
  description: string;
  statements: (dialect: SqlDriver['dialect']) => string[];
}

const TEXT_KEY = (dialect: SqlDriver['dialect']) => (dialect === 'postgres' ? 'TEXT COLLATE "C"' : 'TEXT');

const migrations: Migration[] = [
  {
    version: 1,
    description: 'resources, versions and search index tables',
    statements: (d) => {
      const key = TEXT_KEY(d);
      const json = d === 'postgres' ? 'JSONB' : 'TEXT';
      const indexTable = (name: string, columns: string) => [
        `CREATE TABLE ${name} (type ${key} NOT NULL, id ${key} NOT NULL, param ${key} NOT NULL, ${columns})`,
        `CREATE INDEX ${name}_owner ON ${name} (type, id)`,
      ];
      return [
        `CREATE TABLE resources (
           type ${key} NOT NULL, id ${key} NOT NULL, version BIGINT NOT NULL, last_updated BIGINT NOT NULL,
           deleted SMALLINT NOT NULL, content ${json}, PRIMARY KEY (type, id))`,
        `CREATE INDEX resources_last_updated ON resources (type, last_updated)`,
        `CREATE TABLE resource_versions (
           type ${key} NOT NULL, id ${key} NOT NULL, version BIGINT NOT NULL, last_updated BIGINT NOT NULL,
           deleted SMALLINT NOT NULL, content ${json}, PRIMARY KEY (type, id, version))`,
        `CREATE INDEX resource_versions_time ON resource_versions (last_updated)`,
        `CREATE INDEX resource_versions_type_time ON resource_versions (type, last_updated)`,
        ...indexTable('sp_string', `norm ${key} NOT NULL, exact TEXT NOT NULL`),
        `CREATE INDEX sp_string_value ON sp_string (type, param, norm)`,
        ...indexTable('sp_token', `system ${key}, code ${key}, text TEXT`),
        `CREATE INDEX sp_token_value ON sp_token (type, param, code, system)`,
        ...indexTable(
          'sp_reference',
          `target_type ${key}, target_id ${key}, url TEXT, identifier_system TEXT, identifier_value TEXT`,
        ),
        `CREATE INDEX sp_reference_target ON sp_reference (target_id, target_type, param)`,
        ...indexTable('sp_date', 'low BIGINT NOT NULL, high BIGINT NOT NULL'),
        `CREATE INDEX sp_date_value ON sp_date (type, param, low, high)`,
        ...indexTable('sp_number', 'low DOUBLE PRECISION NOT NULL, high DOUBLE PRECISION NOT NULL'),
        ...indexTable(
          'sp_quantity',
          `system ${key}, code ${key}, low DOUBLE PRECISION NOT NULL, high DOUBLE PRECISION NOT NULL`,
        ),
        ...indexTable('sp_uri', `value ${key} NOT NULL`),
        `CREATE INDEX sp_uri_value ON sp_uri (type, param, value)`,
      ];
    },
  },
  {
    version: 2,
    description: 'authorization server state (oidc-provider models, SMART launches and contexts, shared secrets)',
    // One table for every model keeps the adapter small; expired rows are swept by the adapter. grant_id and uid are
    // columns so that revocation by grant and interaction lookups do not scan payloads.
    statements: (d) => {
      const key = TEXT_KEY(d);
      return [
        `CREATE TABLE oauth_state (
           model ${key} NOT NULL, id ${key} NOT NULL, payload TEXT NOT NULL, grant_id ${key}, user_code ${key},
           uid ${key}, expires_at BIGINT, consumed_at BIGINT, PRIMARY KEY (model, id))`,
        `CREATE INDEX oauth_state_grant ON oauth_state (grant_id)`,
        `CREATE INDEX oauth_state_uid ON oauth_state (model, uid)`,
        `CREATE INDEX oauth_state_expires ON oauth_state (expires_at)`,
      ];
    },
  },
  {
    version: 3,
    description: 'composite search parameter index',
    statements: (d) => {
      const key = TEXT_KEY(d);
      return [
        `CREATE TABLE sp_composite (type ${key} NOT NULL, id ${key} NOT NULL, param ${key} NOT NULL, grp INTEGER NOT NULL,
           component INTEGER NOT NULL, system ${key}, code ${key}, low DOUBLE PRECISION, high DOUBLE PRECISION, norm ${key})`,
        `CREATE INDEX sp_composite_owner ON sp_composite (type, id)`,
        `CREATE INDEX sp_composite_value ON sp_composite (type, param, component, code)`,
      ];
    },
  },
  {
    version: 4,
    description: 'content kept once per version: resources points at its current version in resource_versions',
    // Writing each version's JSON once (not also into resources) cuts the pages every create and update writes;
    // reads join the current version by primary key.
    statements: () => ['ALTER TABLE resources DROP COLUMN content'],
  },
  {
    version: 5,
    description: 'search indexes cover the resource id',
    // A search reads only the index to find the matching ids, instead of visiting each matching row's table page.
    statements: () =>
      [
        ['sp_string', 'sp_string_value', 'type, param, norm, id'],
        ['sp_token', 'sp_token_value', 'type, param, code, system, id'],
        ['sp_reference', 'sp_reference_target', 'target_id, target_type, param, type, id'],
        ['sp_date', 'sp_date_value', 'type, param, low, high, id'],
        ['sp_uri', 'sp_uri_value', 'type, param, value, id'],
      ].flatMap(([table, index, columns]) => [`DROP INDEX ${index}`, `CREATE INDEX ${index} ON ${table} (${columns})`]),
  },
  {
    version: 6,
    description: 'which index tables hold rows of each resource',
    // An update or delete then clears only those tables (a Patient uses 3 of 8); rows written before are assumed
    // to be anywhere.
    statements: () => ['ALTER TABLE resources ADD COLUMN index_tables INTEGER NOT NULL DEFAULT 255'],
  },
  {
    version: 7,
    description: 'what the search index was extracted with, and how far a reindex has gone',
    // No row: unknown, so every resource is reindexed once (SqlRepository.reindexStep).
    statements: () => ['CREATE TABLE index_state (id INTEGER PRIMARY KEY, fingerprint TEXT NOT NULL, cursor_type TEXT, cursor_id TEXT)'],
  },
  {
    version: 8,
    description: 'value indexes for number and quantity search',
    // Without them a search on a number or a quantity read every row of its table.
    statements: () => [
      'CREATE INDEX sp_number_value ON sp_number (type, param, low, high, id)',
      'CREATE INDEX sp_quantity_value ON sp_quantity (type, param, low, high, id)',
    ],
  },
];

/** Applies the migrations this database has not seen yet, each in its own transaction. */
export async function migrate(driver: SqlDriver): Promise<void> {
  await driver.transaction(async (c) => {
    await driver.lock(c, 'schema-migrations');
    await c.run('CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL)');
  });
  for (const migration of migrations) {
    await driver.transaction(async (c) => {
      // The lock makes concurrent server processes wait for one another instead of racing on DDL.
      await driver.lock(c, 'schema-migrations');
      const done = await c.all('SELECT version FROM schema_migrations WHERE version = ?', [migration.version]);
      if (done.length > 0) return;
      for (const statement of migration.statements(driver.dialect)) await c.run(statement);
      await c.run('INSERT INTO schema_migrations (version, description) VALUES (?, ?)', [
        migration.version,
        migration.description,
      ]);
    });
  }
}
