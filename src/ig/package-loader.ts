import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Parser, type ReadEntry } from 'tar';
import { createReadStream } from 'node:fs';
import type { Resource } from './conformance-registry.js';

/** The manifest of a FHIR NPM package (`package/package.json`), see https://confluence.hl7.org/display/FHIR/NPM+Package+Specification. */
export interface PackageManifest {
  name: string;
  version: string;
  fhirVersions?: string[];
  dependencies?: Record<string, string>;
  canonical?: string;
}

/** One FHIR package read into memory: its manifest and the resources it holds. */
export interface FhirPackage {
  manifest: PackageManifest;
  resources: Resource[];
}

/** Files of a package that are never resources (NPM package spec: package.json, .index.json, examples/ kept). */
function isResourceFile(path: string): boolean {
  const name = path.split('/').pop() ?? '';
  return name.endsWith('.json') && name !== 'package.json' && !name.startsWith('.');
}

function parseResource(text: string): Resource | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && typeof (value as { resourceType?: unknown }).resourceType === 'string') {
      return value as Resource;
    }
  } catch {
    // A package may ship non-resource JSON (e.g. openapi files); they are not conformance resources.
  }
  return undefined;
}

async function loadTarball(file: string): Promise<FhirPackage> {
  const files = new Map<string, string>();
  await new Promise<void>((resolve, reject) => {
    const parser = new Parser({
      onReadEntry: (entry: ReadEntry) => {
        const path = entry.path.replace(/^\.\//, '');
        // Only `package/` holds the published content; `package/other/` and examples are not conformance resources.
        const keep = path === 'package/package.json' || (/^package\/[^/]+$/.test(path) && isResourceFile(path));
        if (!keep) {
          entry.resume();
          return;
        }
        const chunks: Buffer[] = [];
        entry.on('data', (c: Buffer) => chunks.push(c));
        entry.on('end', () => files.set(path, Buffer.concat(chunks).toString('utf8')));
      },
    });
    const stream = createReadStream(file);
    stream.on('error', reject);
    parser.on('error', reject);
    parser.on('end', () => resolve());
    stream.pipe(parser);
  });
  const manifestText = files.get('package/package.json');
  if (!manifestText) throw new Error(`${file}: not a FHIR package (no package/package.json)`);
  const manifest = JSON.parse(manifestText) as PackageManifest;
  const resources: Resource[] = [];
  for (const [path, text] of files) {
    if (path === 'package/package.json') continue;
    const r = parseResource(text);
    if (r) resources.push(r);
  }
  return { manifest, resources };
}

async function loadFolder(folder: string): Promise<FhirPackage> {
  // Accept both the package root (holding package/) and the package/ folder itself.
  let dir = folder;
  try {
    if ((await stat(join(folder, 'package'))).isDirectory()) dir = join(folder, 'package');
  } catch {
    // no package/ sub-folder: the folder itself is the package content
  }
  let manifest: PackageManifest = { name: folder, version: 'current' };
  try {
    manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as PackageManifest;
  } catch {
    // a loose folder of conformance resources has no manifest; still usable
  }
  const resources: Resource[] = [];
  for (const name of await readdir(dir)) {
    if (!isResourceFile(name)) continue;
    const r = parseResource(await readFile(join(dir, name), 'utf8'));
    if (r) resources.push(r);
  }
  return { manifest, resources };
}

/** Reads a FHIR NPM package from a `.tgz` file or an unpacked folder. Throws when the path cannot be read. */
export async function loadPackage(path: string): Promise<FhirPackage> {
  const info = await stat(path);
  return info.isDirectory() ? loadFolder(path) : loadTarball(path);
}
