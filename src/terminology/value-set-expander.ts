import type { CanonicalResource, ConformanceRegistry } from '../ig/conformance-registry.js';

interface Concept {
  code: string;
  display?: string;
  concept?: Concept[];
  property?: { code: string; valueCode?: string; valueBoolean?: boolean }[];
}

interface CodeSystem extends CanonicalResource {
  content?: string;
  concept?: Concept[];
}

interface ConceptSetComponent {
  system?: string;
  version?: string;
  concept?: { code: string }[];
  filter?: { property: string; op: string; value: string }[];
  valueSet?: string[];
}

interface ValueSet extends CanonicalResource {
  compose?: { include?: ConceptSetComponent[]; exclude?: ConceptSetComponent[] };
  expansion?: { contains?: { system?: string; code?: string; contains?: unknown[] }[] };
}

/**
 * A locally expanded value set. `codes` maps system → codes. `openSystems` are systems (e.g. SNOMED CT, LOINC)
 * included but not expandable here: codes from them cannot be judged, so they are never errors.
 */
export interface Expansion {
  url: string;
  name?: string;
  codes: Map<string, Set<string>>;
  openSystems: Set<string>;
  /** True when some part (an unknown value set, an unsupported filter) could not be expanded at all. */
  incomplete: boolean;
}

/** The answer of {@link TerminologyService.checkCode}: in the set, not in it, or not decidable locally. */
export type CodeCheck = 'valid' | 'invalid' | 'unknown';

/**
 * Local terminology (FHIR R4 §4.9 ValueSet compose, §4.8 CodeSystem hierarchy): expands value sets from code systems
 * held in the registry and caches each expansion by canonical URL.
 */
export class TerminologyService {
  private readonly expansions = new Map<string, Expansion>();
  private readonly systemCodes = new Map<string, Map<string, Concept> | null>();

  constructor(private readonly registry: ConformanceRegistry) {}

  /** All concepts of a complete local code system, by code; null when the system is not (fully) held locally. */
  codeSystem(system: string): Map<string, Concept> | null {
    const cached = this.systemCodes.get(system);
    if (cached !== undefined) return cached;
    const cs = this.registry.get<CodeSystem>(system, 'CodeSystem');
    let result: Map<string, Concept> | null = null;
    if (cs && (cs.content === 'complete' || cs.content === undefined) && cs.concept) {
      result = new Map();
      const walk = (list: Concept[]): void => {
        for (const c of list) {
          result!.set(c.code, c);
          if (c.concept) walk(c.concept);
        }
      };
      walk(cs.concept);
    }
    this.systemCodes.set(system, result);
    return result;
  }

  /** True when the URL names a ValueSet and no CodeSystem (a common mistake in Coding.system). */
  isValueSet(url: string): boolean {
    return !this.registry.get(url, 'CodeSystem') && this.registry.get(url, 'ValueSet') !== undefined;
  }

  /** A code and the codes it subsumes in a local code system (search `:below`); null when the system is not held here. */
  subsumedBy(system: string, code: string): Set<string> | null {
    return this.descendants(system, code, true);
  }

  /** A code and the codes that subsume it in a local code system (search `:above`); null when not held here. */
  subsuming(system: string, code: string): Set<string> | null {
    const all = this.codeSystem(system);
    if (!all) return null;
    const parents = this.parentsOf(system, all);
    const out = new Set<string>();
    const climb = (c: string): void => {
      if (out.has(c) || !all.has(c)) return;
      out.add(c);
      for (const p of parents.get(c) ?? []) climb(p);
    };
    climb(code);
    return out;
  }

  private readonly parents = new Map<string, Map<string, string[]>>();

  /** Each code's parents: the concept it is nested in, and its `parent` / `subsumedBy` properties (§4.8.7). */
  private parentsOf(system: string, all: Map<string, Concept>): Map<string, string[]> {
    let parents = this.parents.get(system);
    if (parents) return parents;
    parents = new Map();
    const add = (child: string, parent: string) => parents!.set(child, [...(parents!.get(child) ?? []), parent]);
    for (const c of all.values()) {
      for (const child of c.concept ?? []) add(child.code, c.code);
      for (const p of c.property ?? []) if ((p.code === 'parent' || p.code === 'subsumedBy') && p.valueCode) add(c.code, p.valueCode);
    }
    this.parents.set(system, parents);
    return parents;
  }

  /** The code and its descendants in the local hierarchy (filters is-a / descendent-of, §4.8.7). */
  private descendants(system: string, code: string, includeSelf: boolean): Set<string> | null {
    const all = this.codeSystem(system);
    if (!all) return null;
    const root = all.get(code);
    const out = new Set<string>();
    if (!root) return out;
    const walk = (c: Concept, self: boolean): void => {
      if (self) out.add(c.code);
      for (const child of c.concept ?? []) walk(child, true);
    };
    walk(root, includeSelf);
    // Hierarchies expressed by `parent` properties instead of nesting.
    let grew = true;
    while (grew) {
      grew = false;
      for (const c of all.values()) {
        if (out.has(c.code) || (!includeSelf && c.code === code)) continue;
        const parents = (c.property ?? []).filter((p) => p.code === 'parent' || p.code === 'subsumedBy').map((p) => p.valueCode);
        if (parents.some((p) => p !== undefined && (out.has(p) || p === code))) {
          out.add(c.code);
          grew = true;
        }
      }
    }
    return out;
  }

  private component(c: ConceptSetComponent, depth: number): Expansion | null {
    const part: Expansion = { url: '', codes: new Map(), openSystems: new Set(), incomplete: false };
    let sets: Expansion[] = [];
    for (const vs of c.valueSet ?? []) {
      const e = this.expand(vs, depth + 1);
      if (!e) part.incomplete = true;
      else sets.push(e);
    }
    if (c.system) {
      const system = c.system;
      let codes: Set<string> | null;
      if (c.concept) {
        codes = new Set(c.concept.map((x) => x.code));
      } else {
        const all = this.codeSystem(system);
        codes = all ? new Set(all.keys()) : null;
      }
      for (const f of c.filter ?? []) {
        if (!codes) break;
        let allowed: Set<string> | null = null;
        if (f.property === 'concept' && (f.op === 'is-a' || f.op === 'descendent-of')) {
          allowed = this.descendants(system, f.value, f.op === 'is-a');
        } else if (f.property === 'concept' && f.op === 'is-not-a') {
          const d = this.descendants(system, f.value, true);
          allowed = d ? new Set([...codes].filter((x) => !d.has(x))) : null;
        } else if (f.op === '=' && this.codeSystem(system)) {
          const all = this.codeSystem(system)!;
          allowed = new Set(
            [...all.values()]
              .filter((cc) => (cc.property ?? []).some((p) => p.code === f.property && String(p.valueCode ?? p.valueBoolean) === f.value))
              .map((cc) => cc.code),
          );
        }
        codes = allowed ? new Set([...codes].filter((x) => allowed!.has(x))) : null;
      }
      if (codes) part.codes.set(system, codes);
      else part.openSystems.add(system);
    }
    if (c.system && sets.length > 0) {
      // system + valueSet: intersection (§4.9.5.3)
      const mine = part.codes.get(c.system);
      if (mine) for (const s of sets) {
        const other = s.codes.get(c.system);
        if (other) part.codes.set(c.system, new Set([...mine].filter((x) => other.has(x))));
      }
      sets = [];
    }
    if (!c.system && sets.length > 1) {
      // several value sets in one include: intersection; approximate by the first, keep openness
      sets = [sets[0]];
    }
    for (const s of sets) merge(part, s);
    return part;
  }

  /** Expands a value set by canonical URL (`url|version` accepted); undefined when it is unknown. */
  expand(canonical: string, depth = 0): Expansion | undefined {
    const cached = this.expansions.get(canonical);
    if (cached) return cached;
    if (depth > 10) return undefined;
    const vs = this.registry.get<ValueSet>(canonical, 'ValueSet');
    if (!vs) return undefined;
    const out: Expansion = { url: canonical, name: vs.name, codes: new Map(), openSystems: new Set(), incomplete: false };
    if (vs.compose) {
      for (const inc of vs.compose.include ?? []) {
        const p = this.component(inc, depth);
        if (p) merge(out, p);
      }
      for (const exc of vs.compose.exclude ?? []) {
        const p = this.component(exc, depth);
        if (!p) continue;
        for (const [sys, codes] of p.codes) {
          const have = out.codes.get(sys);
          if (have) for (const c of codes) have.delete(c);
        }
      }
    } else if (vs.expansion?.contains) {
      const walk = (list: { system?: string; code?: string; contains?: unknown[] }[]): void => {
        for (const c of list) {
          if (c.system && c.code) {
            const set = out.codes.get(c.system) ?? new Set<string>();
            set.add(c.code);
            out.codes.set(c.system, set);
          }
          if (c.contains) walk(c.contains as typeof list);
        }
      };
      walk(vs.expansion.contains);
    } else {
      out.incomplete = true;
    }
    this.expansions.set(canonical, out);
    return out;
  }

  /** Is `system|code` in the value set? `system` undefined (a bare `code`) matches any system of the set. */
  checkCode(valueSet: string, system: string | undefined, code: string): CodeCheck {
    const e = this.expand(valueSet);
    if (!e) return 'unknown';
    if (system === undefined) {
      for (const codes of e.codes.values()) if (codes.has(code)) return 'valid';
      return e.openSystems.size > 0 || e.incomplete ? 'unknown' : 'invalid';
    }
    if (e.codes.get(system)?.has(code)) return 'valid';
    if (e.openSystems.has(system) || e.incomplete) return 'unknown';
    // A system the set does not include: only decidable when we know every system of the set.
    return 'invalid';
  }
}

function merge(into: Expansion, from: Expansion): void {
  for (const [sys, codes] of from.codes) {
    const have = into.codes.get(sys);
    if (have) for (const c of codes) have.add(c);
    else into.codes.set(sys, new Set(codes));
  }
  for (const s of from.openSystems) into.openSystems.add(s);
  if (from.incomplete) into.incomplete = true;
}
