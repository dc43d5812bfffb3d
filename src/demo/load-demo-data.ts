import type { Bundle } from 'fhir/r4.js';
import type { FhirContext } from '../fhir/fhir-request.js';
import { route } from '../fhir/router.js';
import { buildStoryTransactionsWithHistory } from '../ig/demo-data.js';
import type { Logger } from '../logger.js';

/**
 * Loads the guide's story (Lucie, her care team, peers, consent, goals and plan) into an empty database, through the
 * same transaction processing clients use, so the demo data is stored, indexed and versioned like any other.
 * A database that holds anything is left alone.
 */
export async function loadDemoData(fhir: FhirContext, logger: Logger): Promise<boolean> {
  const any = await fhir.repo.search({ types: [], conditions: [], sort: [], count: 1, total: 'none' });
  if (any.resources.length) return false;
  const serverOwn: FhirContext = { ...fhir, access: undefined };
  let resources = 0;
  for (const bundle of buildStoryTransactionsWithHistory()) {
    await route(serverOwn, { method: 'POST', path: '', query: [], body: bundle, headers: {} });
    resources += (bundle as Bundle).entry?.length ?? 0;
  }
  logger.info('demo-data-loaded', { entries: resources });
  return true;
}
