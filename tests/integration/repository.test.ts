import type { Patient } from 'fhir/r4.js';
import { loadConfig } from '../../src/config/config.js';
import { createFhirContext, openDriver } from '../../src/main.js';
import { encodeCursor, parseSearch } from '../../src/fhir/search/parse-search.js';
import type { FhirContext } from '../../src/fhir/fhir-request.js';
import type { SqlDriver } from '../../src/storage/sql/sql-driver.js';
import { storedResourceOf } from '../../src/storage/stored-resource.js';
import { createTestDatabase, STORES, type Store, type TestDatabase } from '../helpers/databases.js';

/** A FHIR context over a fresh database of `store`, opened before the suite's tests and dropped after them. */
function onFreshContext(store: Store): { driver: SqlDriver; ctx: FhirContext } {
  const fresh = {} as { driver: SqlDriver; ctx: FhirContext };
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(store);
    const config = loadConfig(database.env);
    fresh.driver = await openDriver(config);
    fresh.ctx = await createFhirContext(fresh.driver, 'http://localhost/fhir', config);
  });
  afterAll(async () => {
    await fresh.driver.close();
    await database.drop();
  });
  return fresh;
}

/** The repository over each real store: what a batched create writes is what single writes would have written. */
describe.each(STORES)('repository on %s', (store) => {
  const fresh = onFreshContext(store);

  const search = (type: string, params: [string, string][]) =>
    fresh.ctx.repo.search(
      parseSearch([type], params, { registry: fresh.ctx.searchParameters, baseUrl: fresh.ctx.baseUrl, strict: true, defaultCount: 50, maxCount: 50 }).query,
    );
  const patient = (id: string, family: string, more: Partial<Patient> = {}): Patient & { id: string } => ({
    resourceType: 'Patient',
    id,
    name: [{ family }],
    gender: 'other',
    ...more,
  });

  test('createMany stores every resource as version 1, readable, searchable and in history', async () => {
    const stored = await fresh.ctx.repo.createMany([patient('many-1', 'Lavoie'), patient('many-2', 'Lavoie'), patient('many-3', 'Gagnon')]);
    expect(stored.map((v) => [v.id, v.versionId, v.resource?.meta?.versionId])).toEqual([
      ['many-1', '1', '1'],
      ['many-2', '1', '1'],
      ['many-3', '1', '1'],
    ]);
    expect((await fresh.ctx.repo.readCurrent('Patient', 'many-2'))?.resource).toEqual(stored[1].resource);
    const found = await search('Patient', [['family', 'lavoie']]);
    expect(found.resources.map((r) => r.id).sort()).toEqual(['many-1', 'many-2']);
    const history = await fresh.ctx.repo.history({ type: 'Patient', id: 'many-3', count: 10 });
    expect(history.versions.map((v) => v.versionId)).toEqual(['1']);
  });

  test('a batch of 85 resources stores each row once, with its own values', async () => {
    const family = (i: number) => `Batch${i}`;
    await fresh.ctx.repo.createMany(Array.from({ length: 85 }, (_, i) => patient(`batch-${i}`, family(i), { birthDate: `1950-01-${String((i % 28) + 1).padStart(2, '0')}` })));
    const found = await fresh.ctx.repo.search(
      parseSearch(['Patient'], [['family', 'batch'], ['_count', '100']], { registry: fresh.ctx.searchParameters, baseUrl: fresh.ctx.baseUrl, strict: true, defaultCount: 100, maxCount: 100 }).query,
    );
    expect(found.resources.map((r) => r.id).sort()).toEqual(Array.from({ length: 85 }, (_, i) => `batch-${i}`).sort());
    // Every row carries the values of its own resource, wherever it falls in the statements that wrote the batch.
    for (const i of [84, 40, 80]) {
      const exact = await search('Patient', [['family:exact', family(i)], ['birthdate', `1950-01-${String((i % 28) + 1).padStart(2, '0')}`]]);
      expect(exact.resources.map((r) => r.id)).toEqual([`batch-${i}`]);
    }
  });

  test('an update after a batched create replaces the index rows it wrote', async () => {
    await fresh.ctx.repo.createMany([patient('many-4', 'Tremblay')]);
    await fresh.ctx.repo.update(patient('many-4', 'Bouchard'));
    expect((await search('Patient', [['family', 'tremblay']])).resources).toEqual([]);
    expect((await search('Patient', [['family', 'bouchard']])).resources.map((r) => r.id)).toEqual(['many-4']);
    const versions = (await fresh.ctx.repo.history({ type: 'Patient', id: 'many-4', count: 10 })).versions;
    expect(versions.map((v) => [v.versionId, (v.resource as Patient).name?.[0].family])).toEqual([
      ['2', 'Bouchard'],
      ['1', 'Tremblay'],
    ]);
  });

  test('an update or delete clears the index rows of the tables the previous version used', async () => {
    await fresh.ctx.repo.create(patient('dated', 'Cloutier', { birthDate: '1961-03-04', telecom: [{ system: 'email', value: 'c@example.org' }] }));
    expect((await search('Patient', [['birthdate', '1961-03-04']])).resources.map((r) => r.id)).toEqual(['dated']);
    await fresh.ctx.repo.update(patient('dated', 'Cloutier')); // no birth date, no telecom: those tables are not written
    expect((await search('Patient', [['birthdate', '1961-03-04']])).resources).toEqual([]);
    expect((await search('Patient', [['email', 'c@example.org']])).resources).toEqual([]);
    expect((await search('Patient', [['family', 'cloutier']])).resources.map((r) => r.id)).toEqual(['dated']);
    await fresh.ctx.repo.delete('Patient', 'dated');
    expect((await search('Patient', [['family', 'cloutier']])).resources).toEqual([]);
    await fresh.ctx.repo.update(patient('dated', 'Cloutier', { birthDate: '1961-03-04' })); // re-created after the deletion
    expect((await search('Patient', [['birthdate', '1961-03-04']])).resources.map((r) => r.id)).toEqual(['dated']);
  });

  test('a batched create of an id that exists fails whole: nothing of the batch is stored', async () => {
    // The driver's own error (a unique constraint): asserted by its message, as native errors may come from another realm.
    const failure = await fresh.ctx.repo.createMany([patient('many-5', 'Roy'), patient('many-1', 'Roy')]).then(
      () => 'stored',
      (err: { message?: string }) => String(err?.message),
    );
    expect(failure).toMatch(/unique|duplicate/i);
    expect(await fresh.ctx.repo.readCurrent('Patient', 'many-5')).toBeUndefined();
    expect((await search('Patient', [['family', 'roy']])).resources).toEqual([]);
  });

  test('a create of thousands of resources, failing at its end, stores none of it', async () => {
    const many = Array.from({ length: 4000 }, (_, i) => patient(`bulk-${i}`, 'Bulk', { identifier: [{ system: 'urn:bulk', value: `b${i}` }] }));
    const failure = await fresh.ctx.repo.createMany([...many, patient('many-1', 'Duplicate')]).then(
      () => 'stored',
      (err: { message?: string }) => String(err?.message),
    );
    expect(failure).toMatch(/unique|duplicate/i);
    for (const table of ['resources', 'resource_versions', 'sp_string']) {
      const [{ n }] = await fresh.driver.reader.all<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${table} WHERE id LIKE 'bulk-%'`);
      expect({ table, rows: Number(n) }).toEqual({ table, rows: 0 });
    }
  });

  test('a read gives the resource as the JSON text the store holds, parsed only when asked', async () => {
    const [created] = await fresh.ctx.repo.createMany([patient('text-1', 'Texte', { birthDate: '1970-05-04' })]);
    const read = await fresh.ctx.repo.readCurrent('Patient', 'text-1');
    const stored = storedResourceOf(read!)!;
    // PostgreSQL's json comes as its text too, not parsed by the driver: a read or a search sends it as it is, the
    // very text written (jsonb had reordered its keys), the same on both stores.
    expect(stored.json).toBe(JSON.stringify(created.resource));
    expect(read!.resource).toEqual(created.resource);
    expect(stored.json).toBeUndefined(); // once parsed, the object (which may have changed) is the truth
    const found = await search('Patient', [['family', 'texte']]);
    expect(typeof found.resources[0].json).toBe('string');
  });

  test('values with quotes, backslashes, accents, emoji, decimals and NULLs are stored as given', async () => {
    const family = 'O\'Brien "le \\ grand" Ève 😀';
    const [stored] = await fresh.ctx.repo.createMany([patient('exact-1', family, { birthDate: '1969-07-20' })]);
    await fresh.ctx.repo.createMany([
      {
        resourceType: 'Observation',
        id: 'exact-obs',
        status: 'final',
        code: { coding: [{ system: 'urn:x', code: 'a"b\\c' }] },
        valueQuantity: { value: 0.1, unit: 'mg', system: 'http://unitsofmeasure.org', code: 'mg' },
      } as never,
    ]);
    expect((await fresh.ctx.repo.readCurrent('Patient', 'exact-1'))?.resource).toEqual(stored.resource);
    const [row] = await fresh.driver.reader.all<{ exact: string }>("SELECT exact FROM sp_string WHERE type = 'Patient' AND id = 'exact-1' AND param = 'family'");
    expect(row.exact).toBe(family);
    const [token] = await fresh.driver.reader.all<{ system: string; code: string }>("SELECT system, code FROM sp_token WHERE id = 'exact-obs' AND param = 'code'");
    expect(token).toEqual({ system: 'urn:x', code: 'a"b\\c' });
    const [quantity] = await fresh.driver.reader.all<{ low: number; high: number; system: string }>("SELECT low, high, system FROM sp_quantity WHERE id = 'exact-obs'");
    expect([Number(quantity.low), Number(quantity.high), quantity.system]).toEqual([0.1, 0.1, 'http://unitsofmeasure.org']);
    expect((await search('Patient', [['family:exact', family]])).resources.map((r) => r.id)).toEqual(['exact-1']);
    expect((await search('Observation', [['value-quantity', '0.1|http://unitsofmeasure.org|mg']])).resources.map((r) => r.id)).toEqual(['exact-obs']);
    // A deletion stores a version without content (NULL).
    await fresh.ctx.repo.delete('Patient', 'exact-1');
    const [deleted] = await fresh.driver.reader.all<{ content: string | null }>("SELECT content FROM resource_versions WHERE id = 'exact-1' AND version = 2");
    expect(deleted.content).toBeNull();
  });

  test('a transaction that throws after its writes were queued stores nothing', async () => {
    const failure = await fresh.ctx.repo
      .transaction(async (tx) => {
        await tx.create(patient('queued-1', 'Queued'));
        await tx.createMany([patient('queued-2', 'Queued')]);
        throw new Error('changed my mind');
      })
      .catch((err: Error) => err.message);
    expect(failure).toBe('changed my mind');
    expect(await fresh.ctx.repo.readCurrent('Patient', 'queued-1')).toBeUndefined();
    expect(await fresh.ctx.repo.readCurrent('Patient', 'queued-2')).toBeUndefined();
  });

  test('a one-condition search pages in id order, forward and back, the same whatever further conditions all meet', async () => {
    // Ids out of creation order; some match twice (family and given), one is deleted.
    const ids = ['pg-07', 'pg-02', 'pg-11', 'pg-05', 'pg-09', 'pg-01', 'pg-03'];
    await fresh.ctx.repo.createMany(ids.map((id, i) => patient(id, 'Pagination', i % 2 ? { name: [{ family: 'Pagination', given: ['Paginette'] }] } : {})));
    await fresh.ctx.repo.createMany([patient('pg-04', 'Other')]);
    await fresh.ctx.repo.delete('Patient', 'pg-09');
    const expected = ids.filter((id) => id !== 'pg-09').sort();
    const pages = async (params: [string, string][]) => {
      const query = (cursor?: string) =>
        parseSearch(['Patient'], [...params, ['_count', '2'], ...(cursor ? ([['_cursor', cursor]] as [string, string][]) : [])], {
          registry: fresh.ctx.searchParameters,
          baseUrl: fresh.ctx.baseUrl,
          strict: true,
          defaultCount: 50,
          maxCount: 50,
        }).query;
      const seen: string[][] = [];
      let page = await fresh.ctx.repo.search(query());
      seen.push(page.resources.map((r) => r.id!));
      while (page.hasNext) {
        page = await fresh.ctx.repo.search(query(encodeCursor({ direction: 'next', keys: page.lastKeys! })));
        seen.push(page.resources.map((r) => r.id!));
      }
      // The page before the last.
      const back = await fresh.ctx.repo.search(query(encodeCursor({ direction: 'previous', keys: page.firstKeys! })));
      return { forward: seen, back: back.resources.map((r) => r.id!) };
    };
    const paged = await pages([['name', 'pagin']]);
    expect(paged.forward.flat()).toEqual(expected);
    expect(paged.forward.every((page) => page.length <= 2)).toBe(true);
    expect(paged.back).toEqual(paged.forward[paged.forward.length - 2]);
    // A second condition that every resource meets changes nothing.
    expect(await pages([['name', 'pagin'], ['_lastUpdated', 'gt2000-01-01']])).toEqual(paged);
  });
});

/** How the embedded store plans a search matters as much as what it returns. */
describe('search plans on SQLite', () => {
  const fresh = onFreshContext('sqlite');

  /** The statements a search runs, each with its query plan. */
  async function plansOf(params: [string, string][]): Promise<{ sql: string; plan: string[] }[]> {
    const statements: { sql: string; params: unknown[] }[] = [];
    const all = fresh.driver.reader.all.bind(fresh.driver.reader);
    fresh.driver.reader.all = async <T>(sql: string, values: (string | number | null)[] = []) => {
      statements.push({ sql, params: values });
      return all<T>(sql, values);
    };
    try {
      const options = { registry: fresh.ctx.searchParameters, baseUrl: fresh.ctx.baseUrl, strict: true, defaultCount: 20, maxCount: 50 };
      await fresh.ctx.repo.search(parseSearch(['Patient'], params, options).query);
    } finally {
      fresh.driver.reader.all = all;
    }
    return Promise.all(
      statements.map(async ({ sql, params: values }) => ({
        sql,
        plan: (await all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, values as (string | number | null)[])).map((row) => row.detail),
      })),
    );
  }

  test('in the default order, matches are read in index order up to the page end, and the page is not sorted again', async () => {
    await fresh.ctx.repo.createMany(Array.from({ length: 30 }, (_, i) => ({ resourceType: 'Patient' as const, id: `plan-${i}`, name: [{ family: 'Planifié' }] })));
    const [page] = await plansOf([['family', 'planifie']]);
    expect(page.plan.some((step) => step.includes('sp_string_value'))).toBe(true);
    expect(page.plan.filter((step) => step.includes('TEMP B-TREE'))).toEqual([]);
    // A sort on a search parameter is computed per match, and must be sorted.
    const [sorted] = await plansOf([['family', 'planifie'], ['_sort', 'birthdate']]);
    expect(sorted.plan.some((step) => step.includes('TEMP B-TREE FOR ORDER BY'))).toBe(true);
  });
});
