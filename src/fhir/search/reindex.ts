import { createHash } from 'node:crypto';
import type { Logger } from '../../logger.js';
import type { Repository } from '../../storage/repository.js';
import { EXTRACTION_VERSION } from './extract-index.js';
import type { SearchParameterRegistry } from './search-parameter-registry.js';

/** Resources reindexed per transaction: short transactions, so that the store keeps serving writes meanwhile. */
const CHUNK = 500;

/**
 * What the stored search index depends on: the extraction code's version and every search parameter's base, code,
 * type and expression. A package bringing a new parameter, or a fix in extraction, changes it.
 */
export function indexFingerprint(registry: SearchParameterRegistry): string {
  const parameters = registry
    .definitions()
    .map((sp) => JSON.stringify([sp.url, sp.base, sp.code, sp.type, sp.expression ?? null, (sp.component ?? []).map((c) => [c.definition, c.expression])]))
    .sort();
  return createHash('sha256').update(JSON.stringify([EXTRACTION_VERSION, parameters])).digest('hex');
}

/**
 * Brings the stored search index in line with the search parameters in force before the server answers searches:
 * a search on a parameter added since a resource was written must still find it (HAPI FHIR calls this a
 * reindex). When nothing changed it is one short transaction: a lock and a read of the stored fingerprint.
 */
export async function reindexIfChanged(repo: Repository, registry: SearchParameterRegistry, logger: Logger): Promise<void> {
  const fingerprint = indexFingerprint(registry);
  let total = 0;
  for (let failures = 0; ; ) {
    let step: { done: boolean; reindexed: number };
    try {
      step = await repo.reindexStep(fingerprint, CHUNK);
    } catch (err) {
      // A step may lose a deadlock against a live transaction bundle (PostgreSQL then aborts one): try it again.
      if (++failures > 3) throw err;
      logger.warn('reindex-step-failed', { message: (err as Error).message, attempt: failures });
      continue;
    }
    const { done, reindexed } = step;
    total += reindexed;
    if (done) break;
    if (total % (CHUNK * 20) === 0) logger.info('reindexing', { resources: total });
  }
  if (total) logger.info('reindexed', { resources: total, reason: 'search parameters or their extraction changed' });
}
