// The guide's build: core package cache → SUSHI (snapshots) → FHIR package (folder + tgz) → readable pages.
// Everything lands under build/ (gitignored) and nothing touches the network or the user's ~/.fhir.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { FhirResourceJson } from '../fhir-json.js';
import { readExampleFolder, readInvalidExamples } from '../example-files.js';
import { igOutputPaths } from '../ig-paths.js';
import { writeSite } from '../site/write-site.js';
import { ensureCorePackageCache } from './core-package-cache.js';
import { writeFhirPackage } from './fhir-package-writer.js';
import { applyIgMetadata, implementationGuideResource } from './ig-metadata.js';
import { runSushi, type SushiMessage } from './run-sushi.js';

export interface BuildIgOptions {
  /** Repository root (holds profiles/, examples/, build/). */
  rootDir: string;
  /** Where to write the guide; defaults to `<rootDir>/build/ig` (tests build into a temporary folder). */
  igDir?: string;
  /** Keep SUSHI's progress log off the console (errors are still collected and thrown). */
  quiet?: boolean;
  /** Skip the HTML pages (the package alone). */
  skipSite?: boolean;
}

export interface BuildIgResult {
  igDir: string;
  packageDir: string;
  tarball: string;
  siteDir: string;
  resources: FhirResourceJson[];
  examples: FhirResourceJson[];
  warnings: SushiMessage[];
}

export class SushiBuildError extends Error {
  constructor(readonly errors: SushiMessage[]) {
    super(`SUSHI reported ${errors.length} error(s):\n${errors.map((e) => `- ${e.message} (${e.file ?? '?'}:${e.line ?? '?'})`).join('\n')}`);
    this.name = 'SushiBuildError';
  }
}

function readResources(dir: string): FhirResourceJson[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as FhirResourceJson);
}

/** Builds the implementation guide; throws SushiBuildError when the FSH does not compile cleanly. */
export async function buildIg(options: BuildIgOptions): Promise<BuildIgResult> {
  const { rootDir } = options;
  const out = igOutputPaths(rootDir, options.igDir);
  const { fhirHome } = ensureCorePackageCache(path.join(rootDir, 'build'));
  const sushi = await runSushi(path.join(rootDir, 'profiles'), out.igDir, fhirHome, options.quiet);
  if (sushi.errors.length > 0) throw new SushiBuildError(sushi.errors);

  const generated = readResources(sushi.resourcesDir).map((r) => applyIgMetadata(r, sushi.config));
  const examplesDir = path.join(rootDir, 'examples');
  // Valid examples only: the deliberately invalid ones are test material, not part of the published package.
  const exampleFiles = [...readExampleFolder(examplesDir, 'story'), ...readExampleFolder(examplesDir, 'valid')];
  const examples = exampleFiles.map((e) => e.resource);
  const resources = [...generated, implementationGuideResource(sushi.config, generated, examples)];
  const pkg = await writeFhirPackage({ config: sushi.config, resources, examples, outDir: out.igDir });
  if (!options.skipSite) {
    writeSite({
      siteDir: out.siteDir,
      config: sushi.config,
      resources: generated,
      examples: exampleFiles,
      invalidExamples: readInvalidExamples(examplesDir),
    });
  }
  return { ...out, packageDir: pkg.packageDir, tarball: pkg.tarball, resources, examples, warnings: sushi.warnings };
}
