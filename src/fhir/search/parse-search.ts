import type { CompositeValue, Condition, Include, PageCursor, SearchQuery, SortRule } from '../../storage/search-query.js';
import { badRequest } from '../outcomes.js';
import { checkText } from '../resource-rules.js';
import {
  parseDateValue,
  parseNumberValue,
  parseQuantityValue,
  parseReferenceValue,
  parseTokenValue,
  splitEscaped,
  unescape,
} from './parse-values.js';
import type { TerminologyService } from '../../terminology/value-set-expander.js';
import { indexKind, type SearchParamDefinition, type SearchParameterRegistry } from './search-parameter-registry.js';

export type SummaryMode = 'true' | 'text' | 'data' | 'count' | 'false';

/** A search request after parsing: what to find (storage's query) and how to present it. */
export interface ParsedSearch {
  query: SearchQuery;
  includes: Include[];
  revIncludes: Include[];
  summary?: SummaryMode;
  elements?: string[];
  /** The parameters that were applied, normalized, for the `self` link. */
  applied: [string, string][];
  /** Parameters that were ignored, to report in an OperationOutcome (R4 search.html#errors). */
  ignored: string[];
}

export interface SearchParseOptions {
  registry: SearchParameterRegistry;
  baseUrl: string;
  /** `Prefer: handling=strict`: unknown parameters are an error rather than ignored. */
  strict: boolean;
  defaultCount: number;
  maxCount: number;
  /** Local code systems and value sets, for the token modifiers `:below`, `:above`, `:in` and `:not-in`. */
  terminology?: TerminologyService;
  /** How deep in chains and `_has` the parameter being parsed is. */
  nesting?: number;
}

/**
 * Chains and `_has` nest at most this deep: each level is a subquery, and SQLite refuses an expression more than
 * 1,000 deep (15 levels of `_has` reached it).
 */
const MAX_NESTING = 8;

const TERMINOLOGY_MODIFIERS = new Set(['below', 'above', 'in', 'not-in']);
/** Most codes a terminology modifier may turn into: beyond, the query would be too large to run. */
const MAX_SET_CODES = 1000;

/**
 * `:below` / `:above` (a code and what it subsumes, or what subsumes it) and `:in` / `:not-in` (a value set's codes),
 * R4 search.html#modifiers, resolved against the code systems and value sets held here into plain token matches.
 * What cannot be resolved exactly here is refused rather than answered partly.
 */
function tokenSetCondition(param: string, name: string, modifier: string, values: string[], terminology: TerminologyService): Condition {
  const codes: { system: string; code: string }[] = [];
  for (const value of values) {
    if (modifier === 'in' || modifier === 'not-in') {
      const expansion = terminology.expand(value);
      if (!expansion) throw badRequest(`${name}: the value set ${value} is not known to this server`, name);
      if (expansion.incomplete || expansion.openSystems.size) {
        throw badRequest(`${name}: the value set ${value} cannot be fully expanded here (it draws on code systems not held locally)`, name);
      }
      for (const [system, set] of expansion.codes) for (const code of set) codes.push({ system, code });
    } else {
      const token = parseTokenValue(name, value);
      if (!token.system || !token.code) throw badRequest(`${name}: :${modifier} needs a system and a code (system|code)`, name);
      const related = modifier === 'below' ? terminology.subsumedBy(token.system, token.code) : terminology.subsuming(token.system, token.code);
      if (!related) throw badRequest(`${name}: the code system ${token.system} is not held locally, so :${modifier} cannot be evaluated`, name);
      for (const code of related) codes.push({ system: token.system, code });
    }
    if (codes.length > MAX_SET_CODES) throw badRequest(`${name}: :${modifier} covers more than ${MAX_SET_CODES} codes; search with narrower criteria`, name);
  }
  // Elements of type code carry no system (their binding implies it): they are indexed without one and match by code.
  const matches = codes.flatMap(({ system, code }) => [{ system, code }, { system: null, code }]);
  return { kind: 'token', param, modifier: modifier === 'not-in' ? 'not' : undefined, values: matches };
}

/** Result parameters (R4 search.html#return) and those that only shape the HTTP exchange. */
const CONTROL = new Set(['_sort', '_count', '_include', '_revinclude', '_summary', '_elements', '_total', '_cursor', '_format', '_pretty']);

/** Parses a search's query parameters, once, into the typed request storage drivers consume (R4 search.html). */
export function parseSearch(types: string[], params: [string, string][], options: SearchParseOptions): ParsedSearch {
  const result: ParsedSearch = {
    query: { types, conditions: [], sort: [], count: options.defaultCount },
    includes: [],
    revIncludes: [],
    applied: [],
    ignored: [],
  };
  const ignore = (name: string, why: string) => {
    if (options.strict) throw badRequest(`${why}: ${name}`, name);
    result.ignored.push(`${name}: ${why}`);
  };
  for (const [name, value] of params) {
    checkText(`${name}=${value}`, `Search parameter ${name}`);
    if (CONTROL.has(name) || name === '_include:iterate' || name === '_revinclude:iterate') {
      control(result, name, value, types, options);
      continue;
    }
    const condition = parseCondition(types, name, value, options, ignore);
    if (condition) {
      result.query.conditions.push(condition);
      result.applied.push([name, value]);
    }
  }
  return result;
}

function control(result: ParsedSearch, name: string, value: string, types: string[], options: SearchParseOptions): void {
  switch (name) {
    case '_count': {
      if (!/^\d+$/.test(value)) throw badRequest(`_count must be a non-negative integer, not '${value}'`, '_count');
      const count = Math.min(Number(value), options.maxCount);
      result.query.count = count;
      if (count === 0) result.summary = 'count';
      result.applied.push([name, String(count)]);
      return;
    }
    case '_sort':
      result.query.sort = value.split(',').map((field) => sortRule(field.trim(), types, options.registry));
      result.applied.push([name, value]);
      return;
    case '_include':
    case '_revinclude':
    case '_include:iterate':
    case '_revinclude:iterate':
      (name.startsWith('_rev') ? result.revIncludes : result.includes).push(include(name, value, options.registry));
      result.applied.push([name, value]);
      return;
    case '_summary':
      if (!['true', 'text', 'data', 'count', 'false'].includes(value)) {
        throw badRequest(`_summary must be one of true, text, data, count, false; not '${value}'`, '_summary');
      }
      result.summary = value as SummaryMode;
      result.applied.push([name, value]);
      return;
    case '_elements':
      result.elements = value.split(',').map((e) => e.trim()).filter(Boolean);
      result.applied.push([name, value]);
      return;
    case '_total':
      if (!['none', 'estimate', 'accurate'].includes(value)) {
        throw badRequest(`_total must be none, estimate or accurate; not '${value}'`, '_total');
      }
      result.query.total = value as SearchQuery['total'];
      result.applied.push([name, value]);
      return;
    case '_cursor':
      result.query.cursor = decodeCursor(value);
      return;
    default:
      return; // _format and _pretty shape the response, not the search
  }
}

function parseCondition(
  types: string[],
  name: string,
  value: string,
  options: SearchParseOptions,
  ignore: (name: string, why: string) => void,
): Condition | undefined {
  if ((options.nesting ?? 0) > MAX_NESTING) throw badRequest(`Chains and _has nest at most ${MAX_NESTING} levels deep`, name);
  if (name.startsWith('_has:')) return hasCondition(types, name, value, options);
  const dot = name.indexOf('.');
  const [head, chain] = dot >= 0 ? [name.slice(0, dot), name.slice(dot + 1)] : [name, undefined];
  const [code, modifier, ...more] = head.split(':') as [string, string | undefined, ...string[]];
  if (more.length) throw badRequest(`A search parameter takes one modifier at most, not ${head}`, name);
  const definitions = (types.length ? types : ['Resource']).map((t) => options.registry.get(t, code));
  const definition = definitions.find((d) => d !== undefined);
  if (!definition || definitions.some((d) => d === undefined)) {
    ignore(name, `Unknown search parameter for ${types.join(', ') || 'all resource types'}`);
    return undefined;
  }
  if (chain !== undefined) return chainCondition(definition, modifier, chain, value, options);
  if (value === '' && modifier !== 'missing') throw badRequest(`Search parameter ${name} has an empty value`, name);
  return valueCondition(definition, modifier, name, value, options);
}

function valueCondition(
  def: SearchParamDefinition,
  modifier: string | undefined,
  name: string,
  value: string,
  options: SearchParseOptions,
): Condition {
  const values = splitEscaped(value, ',');
  const param = def.code;
  if (modifier === 'missing') {
    if (value !== 'true' && value !== 'false') throw badRequest(`${name} must be true or false`, name);
    if (param === '_id' || param === '_lastUpdated') return { kind: 'id', values: [], not: value === 'false' };
    return { kind: 'missing', param, index: indexKind(def.type)!, missing: value === 'true' };
  }
  const unsupported = () => badRequest(`Modifier :${modifier} is not supported on ${def.type} parameter ${param}`, name);
  if (param === '_id') {
    if (modifier && modifier !== 'not') throw unsupported();
    return { kind: 'id', values: values.map(unescape), not: modifier === 'not' };
  }
  if (param === '_lastUpdated') {
    if (modifier) throw unsupported();
    return { kind: 'last-updated', values: values.map((v) => parseDateValue(name, v)) };
  }
  switch (def.type) {
    case 'string':
      if (modifier && modifier !== 'exact' && modifier !== 'contains') throw unsupported();
      return { kind: 'string', param, modifier: modifier as 'exact' | 'contains' | undefined, values: values.map(unescape) };
    case 'token':
      if (modifier && TERMINOLOGY_MODIFIERS.has(modifier) && options.terminology) {
        return tokenSetCondition(param, name, modifier, values.map(unescape), options.terminology);
      }
      if (modifier && modifier !== 'not' && modifier !== 'text') throw unsupported();
      if (modifier === 'text') return { kind: 'token', param, modifier, values: values.map((v) => ({ code: unescape(v) })) };
      return { kind: 'token', param, modifier: modifier as 'not' | undefined, values: values.map((v) => parseTokenValue(name, v)) };
    case 'uri':
      if (modifier && modifier !== 'above' && modifier !== 'below') throw unsupported();
      return { kind: 'uri', param, modifier: modifier as 'above' | 'below' | undefined, values: values.map(unescape) };
    case 'date':
      if (modifier) throw unsupported();
      return { kind: 'date', param, values: values.map((v) => parseDateValue(name, v)) };
    case 'number':
      if (modifier) throw unsupported();
      return { kind: 'number', param, values: values.map((v) => parseNumberValue(name, v)) };
    case 'quantity':
      if (modifier) throw unsupported();
      return { kind: 'quantity', param, values: values.map((v) => parseQuantityValue(name, v)) };
    case 'composite':
      if (modifier) throw unsupported();
      return { kind: 'composite', param, values: values.map((v) => compositeValue(def, name, v, options)) };
    case 'reference': {
      if (modifier === 'identifier') return { kind: 'reference-identifier', param, values: values.map((v) => parseTokenValue(name, v)) };
      const targetTypes = modifier ? [typeModifier(def, modifier, name)] : undefined;
      const refs = values.map((v) => parseReferenceValue(name, v, options.baseUrl));
      if (targetTypes) for (const r of refs) if (r.id && !r.targetType) r.targetType = targetTypes[0];
      return { kind: 'reference', param, targetTypes, values: refs };
    }
    default:
      throw badRequest(`Search parameter ${param} of type ${def.type} is not supported`, name);
  }
}

/** `system|code$value`: each `$`-separated part parsed by the type of its component (R4 search.html#composite). */
function compositeValue(def: SearchParamDefinition, name: string, raw: string, options: SearchParseOptions): CompositeValue[] {
  const parts = splitEscaped(raw, '$');
  if (parts.length !== def.components!.length) {
    throw badRequest(`${name} takes ${def.components!.length} values separated by '$', e.g. http://loinc.org|8480-6$gt100`, name);
  }
  return parts.map((part, i): CompositeValue => {
    switch (def.components![i].type) {
      case 'token':
        return { type: 'token', value: parseTokenValue(name, part) };
      case 'quantity':
        return { type: 'quantity', value: parseQuantityValue(name, part) };
      case 'date':
        return { type: 'range', value: parseDateValue(name, part) };
      case 'number':
        return { type: 'range', value: parseNumberValue(name, part) };
      case 'reference':
        return { type: 'reference', value: parseReferenceValue(name, part, options.baseUrl) };
      case 'uri':
        return { type: 'uri', value: unescape(part) };
      default:
        return { type: 'string', value: unescape(part) };
    }
  });
}

function typeModifier(def: SearchParamDefinition, modifier: string, name: string): string {
  if (def.targets.length && !def.targets.includes(modifier)) {
    throw badRequest(`${name}: ${modifier} is not a target of ${def.code} (targets: ${def.targets.join(', ')})`, name);
  }
  if (!/^[A-Z][A-Za-z]+$/.test(modifier)) throw badRequest(`Modifier :${modifier} is not supported on reference parameter ${def.code}`, name);
  return modifier;
}

/** `subject:Patient.name=x` and deeper chains (R4 search.html#chaining). */
function chainCondition(
  def: SearchParamDefinition,
  modifier: string | undefined,
  chain: string,
  value: string,
  options: SearchParseOptions,
): Condition {
  if (def.type !== 'reference') throw badRequest(`${def.code} is not a reference parameter and cannot be chained`, def.code);
  const candidates = modifier ? [typeModifier(def, modifier, def.code)] : def.targets;
  const next = chain.split('.')[0].split(':')[0];
  const targetTypes = candidates.filter((t) => options.registry.get(t, next));
  if (!targetTypes.length) {
    throw badRequest(`Cannot chain ${def.code}.${chain}: no target type of ${def.code} has a search parameter '${next}'`, def.code);
  }
  const inner = parseCondition(targetTypes, chain, value, { ...options, strict: true, nesting: (options.nesting ?? 0) + 1 }, () => undefined);
  return { kind: 'chain', param: def.code, targetTypes, condition: inner! };
}

/** `_has:Observation:patient:code=x` (R4 search.html#has), nesting allowed. */
function hasCondition(types: string[], name: string, value: string, options: SearchParseOptions): Condition {
  const m = /^_has:([A-Z][A-Za-z]+):([A-Za-z0-9_-]+):(.+)$/.exec(name);
  if (!m) throw badRequest(`Invalid _has parameter '${name}' (expected _has:Type:reference:parameter)`, name);
  const [, sourceType, referenceParam, rest] = m;
  const ref = options.registry.get(sourceType, referenceParam);
  if (!ref || ref.type !== 'reference') throw badRequest(`${sourceType} has no reference search parameter '${referenceParam}'`, name);
  if (types.length && ref.targets.length && !types.some((t) => ref.targets.includes(t))) {
    throw badRequest(`${sourceType}.${referenceParam} cannot refer to ${types.join(', ')}`, name);
  }
  // Ignoring an unknown parameter here would turn the condition into "has any referring resource".
  const condition = parseCondition([sourceType], rest, value, { ...options, strict: true, nesting: (options.nesting ?? 0) + 1 }, (param, why) => {
    throw badRequest(`${why}: '${param}' in ${name}`, name);
  });
  return { kind: 'has', sourceType, referenceParam, condition: condition! };
}

function sortRule(field: string, types: string[], registry: SearchParameterRegistry): SortRule {
  const descending = field.startsWith('-');
  const param = descending ? field.slice(1) : field;
  if (param === '_id') return { param, index: 'id', descending };
  if (param === '_lastUpdated') return { param, index: 'last-updated', descending };
  const defs = types.map((t) => registry.get(t, param));
  const index = defs[0] && indexKind(defs[0].type);
  if (!types.length || !index || index === 'composite' || defs.some((d) => !d || d.type !== defs[0]!.type)) {
    throw badRequest(`Cannot sort by '${param}': not a search parameter of ${types.join(', ') || 'every type'}`, '_sort');
  }
  return { param, index, descending };
}

function include(name: string, value: string, registry: SearchParameterRegistry): Include {
  // `*` alone: every reference of every source type (the wildcard the CapabilityStatement's searchInclude lists).
  if (value === '*') return { sourceType: '*', param: '*', iterate: name.endsWith(':iterate') };
  const [sourceType, param, targetType, ...rest] = value.split(':');
  if (!sourceType || !param || rest.length) throw badRequest(`Invalid ${name} '${value}' (expected Type:parameter[:targetType])`, name);
  if (param !== '*') {
    const def = registry.get(sourceType, param);
    if (!def || def.type !== 'reference') throw badRequest(`${name}: ${sourceType} has no reference search parameter '${param}'`, name);
  }
  return { sourceType, param, targetType, iterate: name.endsWith(':iterate') };
}

export function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify([cursor.direction === 'next' ? 'n' : 'p', cursor.keys])).toString('base64url');
}

export function decodeCursor(value: string): PageCursor {
  try {
    const [direction, keys] = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as [string, unknown];
    if ((direction === 'n' || direction === 'p') && Array.isArray(keys) && keys.every((k) => k === null || ['string', 'number'].includes(typeof k))) {
      // Keys go to the database as given: text it cannot hold is refused here, with the rest.
      for (const key of keys) if (typeof key === 'string') checkText(key, 'The _cursor');
      return { direction: direction === 'n' ? 'next' : 'previous', keys: keys as PageCursor['keys'] };
    }
  } catch {
    // fall through to the error below
  }
  throw badRequest('Invalid _cursor: use the next and previous links the server returned', '_cursor');
}
