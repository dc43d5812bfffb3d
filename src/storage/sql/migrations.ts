import type { SqlDriver } from './sql-driver.js';

/**
 * Versioned schema migrations, applied in order at start-up. Each entry is written once for both dialects: the
 * types used (TEXT, BIGINT, DOUBLE PRECISION) mean the same in SQLite and PostgreSQL, except where `content`
 * differs (PostgreSQL keeps json, which checks the text and keeps it as written).
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
  {
    version: 9,
    description: 'search index rows stored in their owner\'s order (SQLite: WITHOUT ROWID tables keyed by owner)',
    // Each index row was three B-tree entries in SQLite: the table's row, the owner index and the value index. Keyed
    // by (type, id, seq), the table itself is the owner index: two entries per row, fewer pages each commit writes.
    // seq numbers a resource's rows in a table. PostgreSQL has no such tables; it gets the column, so that both
    // stores take the same INSERTs.
    statements: (d) =>
      d === 'postgres'
        ? INDEX_TABLES.map(({ name }) => `ALTER TABLE ${name} ADD COLUMN seq INTEGER NOT NULL DEFAULT 0`)
        : INDEX_TABLES.flatMap(({ name, columns, indexes }) => {
            const names = columns.map((c) => c.split(' ')[0]);
            return [
              `CREATE TABLE ${name}_by_owner (type TEXT NOT NULL, id TEXT NOT NULL, seq INTEGER NOT NULL, ${columns.join(', ')}, ` +
                'PRIMARY KEY (type, id, seq)) WITHOUT ROWID',
              `INSERT INTO ${name}_by_owner (type, id, seq, ${names.join(', ')}) ` +
                `SELECT type, id, row_number() OVER (PARTITION BY type, id), ${names.join(', ')} FROM ${name}`,
              `DROP TABLE ${name}`,
              `ALTER TABLE ${name}_by_owner RENAME TO ${name}`,
              ...Object.entries(indexes).map(([index, keys]) => `CREATE INDEX ${index} ON ${name} (${keys})`),
            ];
          }),
  },
  {
    version: 10,
    description: 'resource content kept as the JSON text written (PostgreSQL: json, not jsonb)',
    // jsonb reorders keys (shortest first: resourceType came last) and respaces them, so PostgreSQL answered reads
    // with other text than SQLite. json keeps the text as written, and costs less to write and to send.
    statements: (d) => (d === 'postgres' ? ['ALTER TABLE resource_versions ALTER COLUMN content TYPE json USING content::json'] : []),
  },
];

/** The search index tables as migrations 1 to 8 left them in SQLite: columns after (type, id), and value indexes. */
const INDEX_TABLES: { name: string; columns: string[]; indexes: Record<string, string> }[] = [
  { name: 'sp_string', columns: ['param TEXT NOT NULL', 'norm TEXT NOT NULL', 'exact TEXT NOT NULL'], indexes: { sp_string_value: 'type, param, norm, id' } },
  {
    name: 'sp_token',
    columns: ['param TEXT NOT NULL', 'system TEXT', 'code TEXT', 'text TEXT'],
    indexes: { sp_token_value: 'type, param, code, system, id' },
  },
  {
    name: 'sp_reference',
    columns: ['param TEXT NOT NULL', 'target_type TEXT', 'target_id TEXT', 'url TEXT', 'identifier_system TEXT', 'identifier_value TEXT'],
    indexes: { sp_reference_target: 'target_id, target_type, param, type, id' },
  },
  { name: 'sp_date', columns: ['param TEXT NOT NULL', 'low BIGINT NOT NULL', 'high BIGINT NOT NULL'], indexes: { sp_date_value: 'type, param, low, high, id' } },
  {
    name: 'sp_number',
    columns: ['param TEXT NOT NULL', 'low DOUBLE PRECISION NOT NULL', 'high DOUBLE PRECISION NOT NULL'],
    indexes: { sp_number_value: 'type, param, low, high, id' },
  },
  {
    name: 'sp_quantity',
    columns: ['param TEXT NOT NULL', 'system TEXT', 'code TEXT', 'low DOUBLE PRECISION NOT NULL', 'high DOUBLE PRECISION NOT NULL'],
    indexes: { sp_quantity_value: 'type, param, low, high, id' },
  },
  { name: 'sp_uri', columns: ['param TEXT NOT NULL', 'value TEXT NOT NULL'], indexes: { sp_uri_value: 'type, param, value, id' } },
  {
    name: 'sp_composite',
    columns: [
      'param TEXT NOT NULL',
      'grp INTEGER NOT NULL',
      'component INTEGER NOT NULL',
      'system TEXT',
      'code TEXT',
      'low DOUBLE PRECISION',
      'high DOUBLE PRECISION',
      'norm TEXT',
    ],
    indexes: { sp_composite_value: 'type, param, component, code' },
  },
];

/**
 * Applies the migrations this database has not seen yet, each in its own transaction; those up to `through` only,
 * when given (tests of a migration start from the schema before it).
 */
export async function migrate(driver: SqlDriver, through = Infinity): Promise<void> {
  await driver.transaction(async (c) => {
    await driver.lock(c, 'schema-migrations');
    await c.run('CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL)');
  });
  for (const migration of migrations.filter((m) => m.version <= through)) {
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
