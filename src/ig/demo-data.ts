// Demo data for the server: the story of Lucie (examples/story) as FHIR transaction Bundles of PUTs, so loading it
// twice leaves the same state (PUT to Type/id is an update-or-create, FHIR R4 §3.1.0.11 / http.html#update).
import path from 'node:path';
import { readExampleFolder } from './example-files.js';
import { projectRoot } from './ig-paths.js';
import type { BundleJson, FhirResourceJson } from './fhir-json.js';

/** The repository's examples/ folder. */
export function defaultExamplesDir(): string {
  return path.join(projectRoot(), 'examples');
}

function transaction(resources: FhirResourceJson[]): BundleJson {
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: resources.map((resource) => {
      if (!resource.id) throw new Error(`Demo ${resource.resourceType} has no id`);
      return {
        fullUrl: `${resource.resourceType}/${resource.id}`,
        resource,
        request: { method: 'PUT' as const, url: `${resource.resourceType}/${resource.id}` },
      };
    }),
  };
}

/** The whole story in its current state: one transaction of PUT entries (`request.url` = `Type/id`). */
export function buildStoryTransaction(examplesDir: string = defaultExamplesDir()): BundleJson {
  return transaction(readExampleFolder(examplesDir, 'story').map((e) => e.resource));
}

/**
 * The story with its history: apply the bundles in order. The first holds every resource with the care team as it
 * was BEFORE the peers joined (examples/history); the second updates the care team to its current state, so the
 * server's CareTeam/_history shows the peers joining and Nadia leaving by a date, never by deletion.
 */
export function buildStoryTransactionsWithHistory(examplesDir: string = defaultExamplesDir()): BundleJson[] {
  const current = readExampleFolder(examplesDir, 'story').map((e) => e.resource);
  const earlier = readExampleFolder(examplesDir, 'history').map((e) => e.resource);
  const key = (r: FhirResourceJson) => `${r.resourceType}/${r.id}`;
  const replaced = new Set(earlier.map(key));
  const first = [...current.filter((r) => !replaced.has(key(r))), ...earlier];
  const second = current.filter((r) => replaced.has(key(r)));
  return [transaction(first), transaction(second)];
}
