import type { ExampleFile } from '../example-files.js';
import type { FhirResourceJson } from '../fhir-json.js';
import type { IgConfig } from '../build/run-sushi.js';

export interface SiteInput {
  siteDir: string;
  config: IgConfig;
  resources: FhirResourceJson[];
  examples: ExampleFile[];
}

export function writeSite(input: SiteInput): void {
  void input;
}
