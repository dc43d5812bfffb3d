import type { Patient } from 'fhir/r4.js';
import { loadConfig } from '../../src/config/config.js';
import { createFhirContext } from '../../src/main.js';
import { parseSearch } from '../../src/fhir/search/parse-search.js';
import { PostgresDriver } from '../../src/storage/postgres/postgres-driver.js';
import { migrate } from '../../src/storage/sql/migrations.js';
import type { SqlDriver } from '../../src/storage/sql/sql-driver.js';
import { SqliteDriver } from '../../src/storage/sqlite/sqlite-driver.js';
import { join } from 'node:path';
import { createTestDatabase, STORES, type TestDatabase } from '../helpers/databases.js';

/** A database at an earlier schema, with rows written as that schema had them, migrated by the server's start. */
describe.each(STORES)('schema migrations on %s', (store) => {
  let database: TestDatabase;
  let driver: SqlDriver;

  beforeAll(async () => {
    database = await createTestDatabase(store);
    driver = database.env.DATABASE_URL ? new PostgresDriver({ connectionString: database.env.DATABASE_URL }) : new SqliteDriver({ filename: join(database.env.DATA_DIR, 'fhir.sqlite') });
  });
  afterAll(async () => {
    await driver.close();
    await database.drop();
  });

  test('index rows written before migration 9 are kept, numbered per resource, and still found and replaced', async () => {
    await migrate(driver, 8);
    const patient = { resourceType: 'Patient', id: 'before', meta: { versionId: '1', lastUpdated: '2026-01-01T00:00:00.000Z' }, name: [{ family: 'Tremblay', given: ['Rose'] }] };
    await driver.transaction(async (c) => {
      await c.run("INSERT INTO resources (type, id, version, last_updated, deleted, index_tables) VALUES ('Patient', 'before', 1, 0, 0, 1)");
      await c.run("INSERT INTO resource_versions (type, id, version, last_updated, deleted, content) VALUES ('Patient', 'before', 1, 0, 0, ?)", [JSON.stringify(patient)]);
      // Through the driver's own batch write: on PostgreSQL it learns sp_string's columns, which migration 9 changes.
      await c.write([
        {
          table: 'sp_string',
          columns: ['type', 'id', 'param', 'norm', 'exact'],
          rows: [['family', 'tremblay'], ['name', 'tremblay'], ['name', 'rose']].map(([param, norm]) => ['Patient', 'before', param, norm, norm]),
        },
      ]);
    });

    await migrate(driver);

    const rows = await driver.reader.all<{ seq: number | string; param: string; norm: string }>(
      "SELECT seq, param, norm FROM sp_string WHERE type = 'Patient' AND id = 'before' ORDER BY param, norm",
    );
    expect(rows.map((r) => [r.param, r.norm])).toEqual([['family', 'tremblay'], ['name', 'rose'], ['name', 'tremblay']]);
    if (store === 'sqlite') {
      // Keyed by owner: one row per (type, id, seq), numbered from 1 in the copy; the owner index is gone.
      expect(new Set(rows.map((r) => Number(r.seq))).size).toBe(3);
      const [table] = await driver.reader.all<{ sql: string }>("SELECT sql FROM sqlite_schema WHERE name = 'sp_string'");
      expect(table.sql).toMatch(/WITHOUT ROWID$/);
      const indexes = await driver.reader.all<{ name: string }>("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'sp_string'");
      expect(indexes.map((i) => i.name)).toContain('sp_string_value');
      expect(indexes.map((i) => i.name)).not.toContain('sp_string_owner');
    }

    const ctx = await createFhirContext(driver, 'http://localhost/fhir', loadConfig(database.env));
    const family = async (value: string) =>
      (await ctx.repo.search(parseSearch(['Patient'], [['family', value]], { registry: ctx.searchParameters, baseUrl: ctx.baseUrl, strict: true, defaultCount: 10, maxCount: 10 }).query)).resources.map((r) => r.id);
    expect(await family('tremblay')).toEqual(['before']);
    // An update replaces the migrated rows with its own.
    await ctx.repo.update({ resourceType: 'Patient', id: 'before', name: [{ family: 'Gagnon' }, { family: 'Gagnon' }] } as Patient & { id: string });
    expect(await family('tremblay')).toEqual([]);
    expect(await family('gagnon')).toEqual(['before']);
    const after = await driver.reader.all<{ seq: number | string }>("SELECT seq FROM sp_string WHERE type = 'Patient' AND id = 'before' AND param = 'family'");
    // Two names alike give two rows alike but for seq: the key keeps them apart.
    expect(after.map((r) => Number(r.seq)).sort()).toEqual([0, 1]);
  });
});
