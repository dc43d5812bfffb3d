// Reads the example resources kept under examples/ (one JSON resource per file).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { FhirResourceJson } from './fhir-json.js';

export interface ExampleFile {
  /** Path relative to the examples folder, e.g. `story/patient-marie.json`. */
  file: string;
  resource: FhirResourceJson;
}

/** Every `*.json` resource of `examples/<folder>`, sorted by file name so the order is stable. */
export function readExampleFolder(examplesDir: string, folder: string): ExampleFile[] {
  const dir = path.join(examplesDir, folder);
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json') && name !== 'manifest.json')
    .sort()
    .map((name) => ({
      file: `${folder}/${name}`,
      resource: JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as FhirResourceJson,
    }));
}

/** One entry of examples/invalid/manifest.json: the rule a deliberately invalid example breaks. */
export interface InvalidExample extends ExampleFile {
  profile: string;
  /** An invariant key or an element id of the profile's snapshot. */
  breaks: string;
  /** Why the rule exists, in English and (`pourquoi`) in French. */
  why: string;
  pourquoi: string;
  validCounterpart: string;
}

export function readInvalidExamples(examplesDir: string): InvalidExample[] {
  const manifest = JSON.parse(readFileSync(path.join(examplesDir, 'invalid', 'manifest.json'), 'utf8')) as Record<
    string,
    Omit<InvalidExample, keyof ExampleFile>
  >;
  return readExampleFolder(examplesDir, 'invalid').map((e) => {
    const entry = manifest[path.basename(e.file)];
    if (!entry) throw new Error(`${e.file} is not listed in examples/invalid/manifest.json`);
    return { ...e, ...entry };
  });
}
