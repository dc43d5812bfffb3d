/**
 * The guide's own validation workload: the story and valid examples that claim one of the guide's profiles
 * (PeerSupportCarePlan, LifeGoal, PeerSupporter, PeerCareTeam, PeerAccessConsent), varied per index so no two
 * resources are identical, validated with the guide's built package loaded as an integrator loads it.
 */
import path from 'node:path';
import type { Resource } from '../src/ig/conformance-registry.js';
import { readExampleFolder } from '../src/ig/example-files.js';
import { builtGuidePackage, projectRoot } from '../src/ig/ig-paths.js';

const GUIDE_PROFILE = 'https://fhir.communautesoignante.ca/StructureDefinition/';

/** The guide's package folder (build/ig/package), built first (without the pages) when `npm run build:ig` has not run. */
export async function guidePackage(): Promise<string> {
  const built = builtGuidePackage();
  if (built) return built;
  console.log('The guide is not built: building it (npm run build:ig --no-site)…');
  // Loaded only then: the build brings SUSHI, seconds of module loading.
  const { buildIg } = await import('../src/ig/build/build-ig.js');
  return (await buildIg({ rootDir: projectRoot(), skipSite: true, quiet: true })).packageDir;
}

/** The examples of examples/story and examples/valid that claim a profile of the guide. */
export function guideExamples(): Resource[] {
  const examplesDir = path.join(projectRoot(), 'examples');
  return ['story', 'valid']
    .flatMap((folder) => readExampleFolder(examplesDir, folder))
    .map((e) => e.resource as Resource)
    .filter((r) => ((r.meta as { profile?: string[] } | undefined)?.profile ?? []).some((p) => p.startsWith(GUIDE_PROFILE)));
}

/**
 * A copy of `resource` made distinct by `i`: its id, narrative, the ids it references and its years (every date moves
 * by the same number of years, so periods stay in order) all change; the rules it meets do not.
 */
export function varied(resource: Resource, i: number): Resource {
  const text = JSON.stringify(resource)
    .replace(/"(reference)":"([A-Za-z]+\/[A-Za-z0-9.-]+)"/g, (_m, key: string, ref: string) => `"${key}":"${ref}-${i % 1000}"`)
    .replace(/"(20\d\d)-(\d\d)/g, (_m, year: string, month: string) => `"${Number(year) + (i % 7)}-${month}`)
    .replace(/<\/div>"/, ` (${i})</div>"`);
  return { ...(JSON.parse(text) as Resource), id: `${String(resource.id)}-${i}` };
}

/** `count` resources cycling through the guide's examples, each one varied by its index. */
export function guideWorkload(count: number, examples: Resource[] = guideExamples()): Resource[] {
  return Array.from({ length: count }, (_, i) => varied(examples[i % examples.length], i));
}
