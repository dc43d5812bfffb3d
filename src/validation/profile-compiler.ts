import type { ConformanceRegistry } from '../ig/conformance-registry.js';
import { buildElementTree, type ElementNode, type StructureDefinition } from './element-tree.js';
import { generateSnapshot } from './snapshot-generator.js';

const CORE = 'http://hl7.org/fhir/StructureDefinition/';

/**
 * Compiles StructureDefinitions into element trees once and caches them by canonical URL, so a resource is checked
 * by walking a prepared tree, never by re-reading the StructureDefinition (FHIR R4 §2.11 Profiling).
 */
export class ProfileCompiler {
  private readonly trees = new Map<string, ElementNode | null>();
  private readonly sds = new Map<string, StructureDefinition | null>();
  /** Problems met while compiling (e.g. snapshot generation), reported once per profile. */
  readonly problems = new Map<string, string[]>();

  constructor(readonly registry: ConformanceRegistry) {}

  /** The StructureDefinition with a snapshot (generated from the differential when missing). */
  structure(url: string): StructureDefinition | undefined {
    const cached = this.sds.get(url);
    if (cached !== undefined) return cached ?? undefined;
    this.sds.set(url, null); // guards against cycles in baseDefinition chains
    let sd = this.registry.get<StructureDefinition>(url, 'StructureDefinition');
    if (sd && !sd.snapshot?.element?.length && sd.differential?.element?.length) {
      const base = sd.baseDefinition ? this.structure(sd.baseDefinition) : undefined;
      const problems: string[] = [];
      if (base) {
        try {
          sd = generateSnapshot(sd, base, (code) => this.structure(code.includes(':') ? code : CORE + code), problems);
        } catch (e) {
          problems.push(`Error generating snapshot: ${e instanceof Error ? e.message : String(e)}`);
          sd = undefined;
        }
      } else problems.push(`Unable to find the base definition ${sd.baseDefinition ?? '(none)'} to generate the snapshot`);
      if (problems.length) this.problems.set(url, problems);
    }
    const result = sd && sd.snapshot?.element?.length ? sd : undefined;
    this.sds.set(url, result ?? null);
    if (sd && sd.url !== url) this.sds.set(sd.url, result ?? null);
    return result;
  }

  /** The compiled element tree of a profile or type, or undefined when it cannot be found. */
  tree(url: string): ElementNode | undefined {
    const cached = this.trees.get(url);
    if (cached !== undefined) return cached ?? undefined;
    const sd = this.structure(url);
    let tree: ElementNode | undefined;
    try {
      tree = sd?.snapshot ? buildElementTree(sd.url, sd.snapshot.element) : undefined;
    } catch (e) {
      this.problems.set(url, [...(this.problems.get(url) ?? []), `Unable to use the snapshot of ${url}: ${e instanceof Error ? e.message : String(e)}`]);
    }
    this.trees.set(url, tree ?? null);
    return tree;
  }

  private readonly typeTrees = new Map<string, ElementNode | undefined>();
  private readonly resourceTypes = new Map<string, boolean>();

  private readonly ancestry = new Map<string, Set<string>>();

  /** The canonical URLs a profile derives from, through its baseDefinition chain. */
  ancestors(url: string): Set<string> {
    let set = this.ancestry.get(url);
    if (set) return set;
    set = new Set();
    let sd = this.structure(url);
    while (sd?.baseDefinition && !set.has(sd.baseDefinition)) {
      set.add(sd.baseDefinition);
      sd = this.structure(sd.baseDefinition);
    }
    this.ancestry.set(url, set);
    return set;
  }

  /** The tree of a core type or resource by its name (e.g. `HumanName`, `Patient`). */
  typeTree(code: string): ElementNode | undefined {
    if (this.typeTrees.has(code)) return this.typeTrees.get(code);
    const t = this.tree(code.includes(':') ? code : CORE + code);
    this.typeTrees.set(code, t);
    return t;
  }

  /** True when `code` names a resource type (kind = resource) in the registry. */
  isResourceType(code: string): boolean {
    let r = this.resourceTypes.get(code);
    if (r === undefined) {
      r = this.structure(CORE + code)?.kind === 'resource';
      this.resourceTypes.set(code, r);
    }
    return r;
  }
}
