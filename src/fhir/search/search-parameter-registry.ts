import fhirpath from 'fhirpath';
import r4Model from 'fhirpath/fhir-context/r4/index.js';
import type { SearchParameter } from 'fhir/r4.js';
import type { IndexKind } from '../../storage/search-query.js';
import { compileSimplePath, type ElementTypes } from './simple-path.js';

export type SearchParamType = SearchParameter['type'];

/** One search parameter as it applies to one resource type, with its expression compiled once. */
export interface SearchParamDefinition {
  code: string;
  type: SearchParamType;
  url: string;
  description?: string;
  /** Reference targets allowed by the definition (reference parameters). */
  targets: string[];
  /** Evaluates the expression on a resource, yielding typed FHIRPath nodes. */
  evaluate?: (resource: unknown) => FhirPathNode[];
  /** Keeps only references to these types: the `.where(resolve() is X)` filters of the official expressions. */
  resolveFilter?: string[];
  /** Composite parameters: each component's type and expression, evaluated on the nodes of `evaluate`. */
  components?: { type: SearchParamType; evaluate: (node: FhirPathNode) => FhirPathNode[] }[];
}

export interface FhirPathNode {
  data: unknown;
  fhirNodeDataType?: string;
}

/** Parameters answered from the resources table itself rather than the index. */
const BUILT_IN = new Set(['_id', '_lastUpdated']);
/** Types this server indexes and searches; composite and special parameters are not offered. */
const INDEXED_TYPES = new Set<SearchParamType>(['string', 'token', 'reference', 'date', 'number', 'quantity', 'uri']);

/**
 * Search parameters by resource type, from the official R4 SearchParameter resources plus those of the
 * implementation guide. Only parameters whose expression compiles are registered, so the CapabilityStatement lists
 * exactly what works.
 */
export class SearchParameterRegistry {
  private readonly byType = new Map<string, Map<string, SearchParamDefinition>>();

  private readonly byUrl = new Map<string, SearchParameter>();

  /**
   * @param paths element types of the R4 definitions: with them, plain-path expressions are walked directly instead
   * of through fhirpath.js (several times faster at write time); without them, FHIRPath evaluates everything.
   */
  constructor(parameters: SearchParameter[], private readonly resourceTypes: string[], private readonly paths?: ElementTypes) {
    for (const sp of parameters) this.byUrl.set(sp.url, sp);
    for (const sp of parameters) this.register(sp);
  }

  register(sp: SearchParameter): void {
    this.byUrl.set(sp.url, sp);
    if (!INDEXED_TYPES.has(sp.type) && !BUILT_IN.has(sp.code) && sp.type !== 'composite') return;
    // Resource-level parameters also register under 'Resource', for system-level search.
    const bases = sp.base.flatMap((b) => (b === 'Resource' || b === 'DomainResource' ? [...this.resourceTypes, 'Resource'] : [b]));
    for (const base of bases) {
      const definition = this.compile(sp, base);
      if (!definition) continue;
      let forType = this.byType.get(base);
      if (!forType) this.byType.set(base, (forType = new Map()));
      forType.set(sp.code, definition);
    }
  }

  /** Every search parameter definition known, indexed or not. */
  definitions(): SearchParameter[] {
    return [...this.byUrl.values()];
  }

  get(resourceType: string, code: string): SearchParamDefinition | undefined {
    return this.byType.get(resourceType)?.get(code);
  }

  forType(resourceType: string): SearchParamDefinition[] {
    return [...(this.byType.get(resourceType)?.values() ?? [])];
  }

  private compile(sp: SearchParameter, base: string): SearchParamDefinition | undefined {
    const definition: SearchParamDefinition = {
      code: sp.code,
      type: sp.type,
      url: sp.url,
      description: sp.description,
      targets: sp.target ?? [],
    };
    if (BUILT_IN.has(sp.code)) return definition;
    if (!sp.expression) return undefined;
    const { expression, resolveFilter } = branchesFor(withPrimitiveTypeNames(sp.expression), base);
    if (!expression) return undefined;
    try {
      const simple = sp.type !== 'composite' && this.paths ? compileSimplePath(expression, base, this.paths) : undefined;
      const compiled = simple ? undefined : fhirpath.compile(expression, r4Model, { resolveInternalTypes: false });
      definition.evaluate = simple ?? ((resource) => (compiled!(resource as object) as unknown[]).map(asNode));
      if (resolveFilter.length) definition.resolveFilter = resolveFilter;
      if (sp.type === 'composite') {
        definition.components = this.components(sp);
        if (!definition.components) return undefined;
      }
      return definition;
    } catch {
      return undefined;
    }
  }

  /**
   * The two components of a composite parameter, each typed by the parameter its `definition` names. Composites of
   * three components (molecular sequence coordinates) are not offered.
   */
  private components(sp: SearchParameter): SearchParamDefinition['components'] {
    if (sp.component?.length !== 2) return undefined;
    const components = sp.component.map((c) => {
      const type = this.byUrl.get(c.definition)?.type;
      if (!type || !INDEXED_TYPES.has(type) || c.expression.includes('%')) return undefined;
      const compiled = fhirpath.compile(withPrimitiveTypeNames(c.expression), r4Model, { resolveInternalTypes: false });
      return { type, evaluate: (node: FhirPathNode) => compiled(node as object) as FhirPathNode[] };
    });
    return components.every((c) => c !== undefined) ? (components as NonNullable<SearchParamDefinition['components']>) : undefined;
  }
}

/**
 * FHIR's primitive types by their names (`dateTime`): R4's own `Observation-code-value-date` casts with
 * `value.as(DateTime)`, which selects nothing, so that its dateTime values were never indexed.
 */
function withPrimitiveTypeNames(expression: string): string {
  return expression.replace(/\b(as|ofType|is)\((DateTime|Date|Instant|Time|String|Boolean|Integer|Decimal|Uri|Code)\)/g, (_, fn: string, type: string) => `${fn}(${type[0].toLowerCase()}${type.slice(1)})`);
}

/** fhirpath.js yields nodes for elements, and bare values for what an expression computes (a boolean, a number). */
function asNode(item: unknown): FhirPathNode {
  return item !== null && typeof item === 'object' && 'data' in item ? (item as FhirPathNode) : { data: item };
}

/**
 * Keeps the branches of a shared expression (`A.x | B.y`) that apply to `base`, and turns
 * `.where(resolve() is T)` (which needs asynchronous resolution) into a reference-type filter.
 */
function branchesFor(expression: string, base: string): { expression: string; resolveFilter: string[] } {
  const resolveFilter: string[] = [];
  const branches = splitUnion(expression)
    .map((b) => b.trim())
    .filter((b) => {
      const head = b.replace(/^\(+/, '').split(/[.\s]/)[0];
      return head === base || head === 'Resource' || head === 'DomainResource' || base === 'Resource';
    })
    .map((b) =>
      b.replace(/\.where\(resolve\(\) is (\w+)\)/g, (_, type: string) => {
        resolveFilter.push(type);
        return '';
      }),
    );
  return { expression: branches.join(' | '), resolveFilter };
}

/** Splits on top-level `|` (not inside parentheses or quotes). */
function splitUnion(expression: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < expression.length; i++) {
    const ch = expression[i];
    if (ch === "'") quoted = !quoted;
    else if (!quoted && ch === '(') depth++;
    else if (!quoted && ch === ')') depth--;
    else if (!quoted && depth === 0 && ch === '|') {
      parts.push(expression.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(expression.slice(start));
  return parts;
}

export function indexKind(type: SearchParamType): IndexKind | undefined {
  return INDEXED_TYPES.has(type) || type === 'composite' ? (type as IndexKind) : undefined;
}
