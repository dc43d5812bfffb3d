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
