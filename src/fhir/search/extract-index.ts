import type { Resource } from 'fhir/r4.js';
import { emptyIndex, normalizeText, type CompositeRow, type SearchIndex } from '../../storage/index-rows.js';
import { dateRange } from './date-range.js';
import type { FhirPathNode, SearchParamDefinition, SearchParameterRegistry } from './search-parameter-registry.js';
import { parseReference } from './reference.js';

// `any`: FHIR JSON of many data types is walked by shape here, after FHIRPath has told us its type.
type Json = Record<string, any>;

/**
 * The version of how values are extracted: raise it whenever a change here (or in the walker) would index an
 * existing resource differently, so that stored indexes are rebuilt (reindex.ts).
 */
export const EXTRACTION_VERSION = 3;

/**
 * Extracts the search index of a resource at write time: every registered parameter's FHIRPath expression is
 * evaluated and each resulting node is turned into index rows by the parameter type and the node's FHIR type
 * (R4 search.html#table: which data types each parameter type may index).
 */
export function createIndexer(registry: SearchParameterRegistry, baseUrl: string) {
  return function extract(resource: Resource): SearchIndex {
    const index = emptyIndex();
    for (const param of registry.forType(resource.resourceType)) {
      if (!param.evaluate) continue;
      let nodes: FhirPathNode[];
      try {
        nodes = param.evaluate(resource);
      } catch {
        continue; // an expression that cannot evaluate on this instance indexes nothing
      }
      if (param.components) addComposite(index, param, nodes, baseUrl);
      else for (const node of nodes) addNode(index, param, node, baseUrl);
    }
    return index;
  };
}

function addNode(index: SearchIndex, param: SearchParamDefinition, node: FhirPathNode, baseUrl: string): void {
  const value = unwrapNumber(node.data) as Json | string | number | boolean | undefined;
  if (value === undefined || value === null) return;
  const type = node.fhirNodeDataType ?? typeof value;
  const code = param.code;
  switch (param.type) {
    case 'string':
      for (const text of stringsOf(type, value)) index.strings.push({ param: code, norm: normalizeText(text), exact: text });
      return;
    case 'token':
      for (const token of tokensOf(type, value)) index.tokens.push({ param: code, ...token });
      return;
    case 'uri':
      if (typeof value === 'string') index.uris.push({ param: code, value });
      return;
    case 'date':
      for (const range of dateRangesOf(type, value)) index.dates.push({ param: code, ...range });
      return;
    case 'number':
      if (typeof value === 'number') index.numbers.push({ param: code, low: value, high: value });
      return;
    case 'quantity': {
      const q = value as Json;
      if (typeof q === 'object' && typeof q.value === 'number') {
        const unit = text(q.unit);
        index.quantities.push({ param: code, system: text(q.system), code: text(q.code) ?? unit, low: q.value, high: q.value });
        // `[number]||[unit]` matches the coded unit or the unit as stated (R4 search.html#quantity): both are indexed.
        if (unit !== null && text(q.code) !== null && unit !== q.code) index.quantities.push({ param: code, system: null, code: unit, low: q.value, high: q.value });
      }
      return;
    }
    case 'reference':
      addReference(index, param, type, value, baseUrl);
      return;
    default:
      return;
  }
}

/** fhirpath.js hands decimals and integers over as decimal objects ({ value, asStr }): index the number. */
function unwrapNumber(data: unknown): unknown {
  const decimal = data as { asStr?: unknown; value?: unknown } | null;
  return decimal && typeof decimal === 'object' && 'asStr' in decimal && typeof decimal.value === 'number' ? decimal.value : data;
}

/** Each element yields the combinations of its components' values, one group of rows per combination. */
function addComposite(index: SearchIndex, param: SearchParamDefinition, nodes: FhirPathNode[], baseUrl: string): void {
  let group = 0;
  for (const node of nodes) {
    const [first, second] = param.components!.map((component) => {
      const scratch = emptyIndex();
      const values: Omit<CompositeRow, 'param' | 'group' | 'component'>[] = [];
      let componentNodes: FhirPathNode[] = [];
      try {
        componentNodes = component.evaluate(node);
      } catch {
        return values;
      }
      const definition = { code: param.code, type: component.type, url: param.url, targets: [] } as SearchParamDefinition;
      for (const n of componentNodes) addNode(scratch, definition, n, baseUrl);
      const blank = { system: null, code: null, low: null, high: null, norm: null };
      values.push(
        ...scratch.tokens.map((t) => ({ ...blank, system: t.system, code: t.code })),
        ...scratch.quantities.map((q) => ({ ...blank, system: q.system, code: q.code, low: q.low, high: q.high })),
        ...[...scratch.dates, ...scratch.numbers].map((r) => ({ ...blank, low: r.low, high: r.high })),
        ...scratch.strings.map((s) => ({ ...blank, norm: s.norm })),
        ...scratch.references.map((r) => ({ ...blank, system: r.targetType, code: r.targetId ?? r.url })),
        ...scratch.uris.map((u) => ({ ...blank, code: u.value })),
      );
      return values;
    });
    for (const a of first) {
      for (const b of second) {
        index.composites.push({ param: param.code, group, component: 0, ...a }, { param: param.code, group, component: 1, ...b });
        group++;
      }
    }
  }
}

function addReference(index: SearchIndex, param: SearchParamDefinition, type: string, value: unknown, baseUrl: string): void {
  const row = { param: param.code, targetType: null, targetId: null, url: null, identifierSystem: null, identifierValue: null };
  if (typeof value === 'string') {
    // canonical / uri targets (e.g. instantiates-canonical)
    index.references.push({ ...row, url: value });
    return;
  }
  if (type !== 'Reference' || typeof value !== 'object' || value === null) return;
  const ref = value as Json;
  if (typeof ref.reference === 'string') {
    const parsed = parseReference(ref.reference, baseUrl);
    if (parsed.kind === 'local') {
      if (param.resolveFilter && !param.resolveFilter.includes(parsed.type)) return;
      index.references.push({ ...row, targetType: parsed.type, targetId: parsed.id });
    } else if (parsed.kind === 'absolute') {
      index.references.push({ ...row, url: parsed.url });
    }
  }
  if (ref.identifier && typeof ref.identifier === 'object' && (!param.resolveFilter || refersTo(ref, param.resolveFilter, baseUrl))) {
    index.references.push({ ...row, identifierSystem: text(ref.identifier.system), identifierValue: text(ref.identifier.value) });
  }
}

/**
 * Whether a reference's identifier counts under `where(resolve() is T)`: when the reference names its type, by its
 * literal part or by Reference.type. An AuditEvent agent known only by its client identifier is not a Patient.
 */
function refersTo(ref: Json, types: string[], baseUrl: string): boolean {
  if (typeof ref.type === 'string') return types.includes(ref.type);
  if (typeof ref.reference !== 'string') return false;
  const parsed = parseReference(ref.reference, baseUrl);
  return parsed.kind === 'local' && types.includes(parsed.type);
}

function stringsOf(type: string, value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value !== 'object' || value === null) return [];
  const v = value as Json;
  const texts: unknown[] =
    type === 'HumanName'
      ? [v.text, v.family, ...list(v.given), ...list(v.prefix), ...list(v.suffix)]
      : type === 'Address'
        ? [v.text, ...list(v.line), v.city, v.district, v.state, v.postalCode, v.country]
        : [];
  return texts.filter((t): t is string => typeof t === 'string' && t.length > 0);
}

type TokenRow = { system: string | null; code: string | null; text: string | null };

function tokensOf(type: string, value: unknown): TokenRow[] {
  const words = (t: unknown) => (typeof t === 'string' && t ? normalizeText(t) : null);
  if (typeof value === 'boolean') return [{ system: null, code: String(value), text: null }];
  if (typeof value === 'string') return [{ system: null, code: value, text: null }];
  if (typeof value !== 'object' || value === null) return [];
  const v = value as Json;
  switch (type) {
    case 'Coding':
      return [{ system: text(v.system), code: text(v.code), text: words(v.display) }];
    case 'CodeableConcept': {
      const codings: TokenRow[] = list(v.coding)
        .filter((c): c is Json => typeof c === 'object' && c !== null)
        .map((c) => ({ system: text(c.system), code: text(c.code), text: words(c.display ?? v.text) }));
      // :text searches CodeableConcept.text as well as the displays (R4 search.html#token): a row of its own when
      // no coding row already carries it.
      const conceptText = words(v.text);
      return conceptText && !codings.some((c) => c.text === conceptText) ? [...codings, { system: null, code: null, text: conceptText }] : codings;
    }
    case 'Identifier':
      return [{ system: text(v.system), code: text(v.value), text: words(v.type?.text) }];
    case 'ContactPoint':
      return [{ system: text(v.system), code: text(v.value), text: null }];
    default:
      return [];
  }
}

function dateRangesOf(type: string, value: unknown): { low: number; high: number }[] {
  if (typeof value === 'string') {
    const range = dateRange(value);
    return range ? [range] : [];
  }
  if (typeof value !== 'object' || value === null) return [];
  const v = value as Json;
  if (type === 'Period') {
    const start = typeof v.start === 'string' ? dateRange(v.start) : undefined;
    const end = typeof v.end === 'string' ? dateRange(v.end) : undefined;
    if (!start && !end) return [];
    // An open end is "ongoing" (R4 datatypes.html#Period): unbounded on that side.
    return [{ low: start?.low ?? MIN_TIME, high: end?.high ?? MAX_TIME }];
  }
  if (type === 'Timing') {
    return list(v.event).flatMap((e) => dateRangesOf('dateTime', e));
  }
  return [];
}

/*
 * Writes are checked for well-formed JSON, but resources stored before that check, or by a reindex of them, may
 * hold a value of the wrong JSON type in an element: such a value indexes nothing, not a row the database refuses.
 */
function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Sentinels for open-ended periods, inside every database's 64-bit range. */
export const MIN_TIME = -8.64e15;
export const MAX_TIME = 8.64e15;
