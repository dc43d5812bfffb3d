import type { Patient, SearchParameter } from 'fhir/r4.js';
import { coreSearchParameters, coreStructureDefinitions, resourceTypes } from '../../src/fhir/r4-definitions.js';
import { createIndexer } from '../../src/fhir/search/extract-index.js';
import { parseSearch } from '../../src/fhir/search/parse-search.js';
import { indexFingerprint, reindexIfChanged } from '../../src/fhir/search/reindex.js';
import { SearchParameterRegistry } from '../../src/fhir/search/search-parameter-registry.js';
import { elementTypes } from '../../src/fhir/search/simple-path.js';
import { silentLogger } from '../../src/logger.js';
import { SqlRepository } from '../../src/storage/sql/sql-repository.js';
import { driverOnFreshDatabase, STORES } from '../helpers/databases.js';

/** A parameter a package might bring: Patient by the city of any address, under a code of its own. */
const townParameter: SearchParameter = {
  resourceType: 'SearchParameter',
  url: 'http://example.org/SearchParameter/patient-town',
  name: 'town',
  status: 'active',
  description: 'Town of any address',
  code: 'town',
  base: ['Patient'],
  type: 'string',
  expression: 'Patient.address.city',
};

const paths = elementTypes(coreStructureDefinitions());
const registryWith = (extra: SearchParameter[]) => new SearchParameterRegistry([...coreSearchParameters(), ...extra], resourceTypes(), paths);

describe.each(STORES)('reindexing when the search parameters change, on %s', (store) => {
  const fresh = driverOnFreshDatabase(store);

  const town = async (repo: SqlRepository, registry: SearchParameterRegistry, value: string) =>
    (await repo.search(parseSearch(['Patient'], [['town', value]], { registry, baseUrl: 'http://x/fhir', strict: true, defaultCount: 50, maxCount: 50 }).query)).resources
      .map((r) => r.id)
      .sort();

  test('resources written before a parameter existed are found by it after the reindex, in steps any process can continue', async () => {
    const driver = fresh.driver();
    const before = registryWith([]);
    const oldRepo = new SqlRepository(driver, createIndexer(before, 'http://x/fhir'));
    await reindexIfChanged(oldRepo, before, silentLogger);
    const cities = ['Montréal', 'Laval', 'Montréal', 'Québec', 'Montréal'];
    await oldRepo.createMany(cities.map((city, i): Patient & { id: string } => ({ resourceType: 'Patient', id: `town-${i}`, address: [{ city }] })));
    await oldRepo.createMany([{ resourceType: 'Patient', id: 'town-gone', address: [{ city: 'Montréal' }] } as Patient & { id: string }]);
    await oldRepo.delete('Patient', 'town-gone');
    // Nothing changed: nothing reindexed.
    expect(await oldRepo.reindexStep(indexFingerprint(before), 2)).toEqual({ done: true, reindexed: 0 });

    const after = registryWith([townParameter]);
    expect(indexFingerprint(after)).not.toBe(indexFingerprint(before));
    const repo = new SqlRepository(driver, createIndexer(after, 'http://x/fhir'));
    expect(await town(repo, after, 'montreal')).toEqual([]); // the stale index knows nothing of town

    // One step of two, as a process stopped midway would leave it; then another carries on from the cursor.
    expect(await repo.reindexStep(indexFingerprint(after), 2)).toEqual({ done: false, reindexed: 2 });
    await reindexIfChanged(repo, after, silentLogger);
    expect(await town(repo, after, 'montreal')).toEqual(['town-0', 'town-2', 'town-4']);
    expect(await town(repo, after, 'laval')).toEqual(['town-1']);
    // Reindexing replaces a resource's rows rather than adding to them.
    const rows = async () => (await driver.reader.all<{ n: number }>("SELECT COUNT(*) AS n FROM sp_string WHERE type = 'Patient' AND id = 'town-0'"))[0].n;
    const once = Number(await rows());
    await reindexIfChanged(repo, registryWith([townParameter, { ...townParameter, url: `${townParameter.url}-2`, code: 'town2' }]), silentLogger);
    await reindexIfChanged(repo, after, silentLogger);
    expect(Number(await rows())).toBe(once);
    expect(await repo.reindexStep(indexFingerprint(after), 2)).toEqual({ done: true, reindexed: 0 });
  });
});
