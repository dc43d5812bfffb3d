// Writes a standard FHIR NPM package (https://confluence.hl7.org/display/FHIR/NPM+Package+Specification):
// package/package.json, package/.index.json, one `Type-id.json` per resource, examples under package/example/
// with their own index, then the gzipped tarball. The unpacked folder is kept too, for tools that read folders.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as tar from 'tar';
import type { FhirResourceJson } from '../fhir-json.js';
import { indexEntryFor, type PackageIndexEntry } from './package-index.js';
import type { IgConfig } from './run-sushi.js';

export interface PackageInput {
  config: IgConfig;
  resources: FhirResourceJson[];
  examples: FhirResourceJson[];
  /** Folder that receives `package/` and `package.tgz`. */
  outDir: string;
}

export interface PackageOutput {
  packageDir: string;
  tarball: string;
  files: string[];
}

function writeResources(dir: string, resources: FhirResourceJson[]): PackageIndexEntry[] {
  mkdirSync(dir, { recursive: true });
  const entries: PackageIndexEntry[] = [];
  for (const resource of resources) {
    if (!resource.id) throw new Error(`A ${resource.resourceType} without id cannot go into the package`);
    const filename = `${resource.resourceType}-${resource.id}.json`;
    writeFileSync(path.join(dir, filename), `${JSON.stringify(resource, null, 2)}\n`);
    entries.push(indexEntryFor(filename, resource));
  }
  entries.sort((a, b) => a.filename.localeCompare(b.filename));
  writeFileSync(path.join(dir, '.index.json'), `${JSON.stringify({ 'index-version': 1, files: entries }, null, 2)}\n`);
  return entries;
}

/** package.json of the FHIR package, with the fields the FHIR package spec lists. */
export function packageManifest(config: IgConfig): Record<string, unknown> {
  return {
    name: config.id,
    version: config.version,
    title: config.title,
    description: config.description,
    canonical: config.canonical,
    url: `${config.canonical}/ig/`,
    author: config.publisher,
    license: config.license,
    fhirVersions: [config.fhirVersion],
    jurisdiction: 'urn:iso:std:iso:3166#CA',
    type: 'IG',
    language: 'fr-CA',
    dependencies: { 'hl7.fhir.r4.core': config.fhirVersion },
  };
}

/** Writes `<outDir>/package/` and `<outDir>/package.tgz`; replaces any previous package. */
export async function writeFhirPackage(input: PackageInput): Promise<PackageOutput> {
  const packageDir = path.join(input.outDir, 'package');
  const tarball = path.join(input.outDir, 'package.tgz');
  rmSync(packageDir, { recursive: true, force: true });
  rmSync(tarball, { force: true });
  mkdirSync(packageDir, { recursive: true });
  writeFileSync(path.join(packageDir, 'package.json'), `${JSON.stringify(packageManifest(input.config), null, 2)}\n`);
  const main = writeResources(packageDir, input.resources);
  const examples = writeResources(path.join(packageDir, 'example'), input.examples);
  const files = [
    'package/package.json',
    'package/.index.json',
    ...main.map((e) => `package/${e.filename}`),
    'package/example/.index.json',
    ...examples.map((e) => `package/example/${e.filename}`),
  ];
  // portable + fixed mtime: the tarball's bytes depend only on its content, so rebuilding changes nothing.
  await tar.create({ gzip: true, file: tarball, cwd: input.outDir, portable: true, mtime: new Date('2026-01-01T00:00:00Z') }, files);
  return { packageDir, tarball, files };
}
