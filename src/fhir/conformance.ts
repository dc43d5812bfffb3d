import type { Bundle, BundleEntry, Resource } from 'fhir/r4.js';
import { preferences, type FhirContext, type FhirRequest, type FhirResponse } from './fhir-request.js';
import { badRequest, methodNotAllowed, notFound, outcome, unsupportedMediaType } from './outcomes.js';
import { validate } from './handlers/validate.js';
import { normalizeText } from '../storage/index-rows.js';
import { subset } from './subset.js';
import type { SummaryMode } from './search/parse-search.js';
import { checkId, checkText } from './resource-rules.js';
import { requirePermission } from './access-policy.js';

/** Where the definitions the server uses come from: the R4 core and the loaded packages (the IG's, integrators'). */
export interface ConformanceSource {
  list(resourceType: string): readonly Resource[];
}

/** Conformance resources are served read-only from the definitions the server runs on, not from storage. */
export const CONFORMANCE_TYPES = new Set([
  'StructureDefinition',
  'ValueSet',
  'CodeSystem',
  'SearchParameter',
  'ConceptMap',
  'CompartmentDefinition',
  'ImplementationGuide',
]);

type Canonical = Resource & { url?: string; name?: string; version?: string; status?: string; title?: string; type?: string };

/** The search parameters offered on conformance resources, and how each matches. */
const MATCHERS: Record<string, { type: 'uri' | 'string' | 'token'; value: (r: Canonical) => string | undefined; types?: string[]; system?: string }> = {
  _id: { type: 'token', value: (r) => r.id },
  url: { type: 'uri', value: (r) => r.url },
  name: { type: 'string', value: (r) => r.name },
  title: { type: 'string', value: (r) => r.title },
  version: { type: 'token', value: (r) => r.version },
  status: { type: 'token', value: (r) => r.status, system: 'http://hl7.org/fhir/publication-status' },
  type: { type: 'token', value: (r) => r.type, types: ['StructureDefinition'], system: 'http://hl7.org/fhir/fhir-types' },
};

const MODIFIERS = { uri: ['below', 'above', 'missing'], string: ['exact', 'contains', 'missing'], token: ['missing'] };
const SUMMARY_MODES = new Set(['true', 'text', 'data', 'count', 'false']);
/** Parameters of a search's shape rather than its matches. */
const IGNORED = new Set(['_format', '_pretty', '_total']);

export function conformanceSearchParams(type: string): { name: string; type: 'uri' | 'string' | 'token' }[] {
  return Object.entries(MATCHERS)
    .filter(([, m]) => !m.types || m.types.includes(type))
    .map(([name, m]) => ({ name, type: m.type }));
}

/**
 * read, search and $validate of conformance resources; every write is 405 (they change with a new package, not by
 * REST), and so is history, which is not kept for them.
 */
export async function conformanceInteraction(ctx: FhirContext, req: FhirRequest, type: string, segments: string[]): Promise<FhirResponse> {
  const method = req.method === 'HEAD' ? 'GET' : req.method;
  const isSearch = segments.length === 1 || (segments.length === 2 && segments[1] === '_search');
  if (isSearch && (method === 'GET' || (method === 'POST' && segments[1] === '_search'))) {
    requirePermission(ctx, type, 's');
    return search(ctx, req, type);
  }
  if (method === 'POST' && segments[segments.length - 1] === '$validate' && segments.length <= 3) return validate(ctx, req, type, segments.length === 3 ? segments[1] : undefined);
  if (segments.length === 2 && method === 'GET' && !segments[1].startsWith('_') && !segments[1].startsWith('$')) {
    requirePermission(ctx, type, 'r');
    return read(ctx, type, segments[1]);
  }
  throw methodNotAllowed(`${type} resources are the definitions this server runs on and are read-only here (read, search and $validate)`);
}

function all(ctx: FhirContext, type: string): readonly Canonical[] {
  return ctx.conformance.list(type) as readonly Canonical[];
}

function read(ctx: FhirContext, type: string, id: string): FhirResponse {
  checkId(id);
  const resource = all(ctx, type).find((r) => r.id === id);
  if (!resource) throw notFound(`${type}/${id} is not known`);
  return { status: 200, resource };
}

function search(ctx: FhirContext, req: FhirRequest, type: string): FhirResponse {
  if (req.body !== undefined) {
    throw unsupportedMediaType('Search parameters go in the URL, or with POST _search in a form body (application/x-www-form-urlencoded)');
  }
  let matches = [...all(ctx, type)];
  let count = ctx.settings.defaultPageSize;
  let offset = 0;
  let summary: SummaryMode | undefined;
  let elements: string[] | undefined;
  let sort: { matcher: (typeof MATCHERS)[string]; descending: boolean }[] = [];
  const applied: [string, string][] = [];
  const ignored: string[] = [];
  const strict = preferences(req.headers.prefer).handling === 'strict';
  for (const [name, value] of req.query) {
    if (name === '_count' || name === '_offset') {
      if (!/^\d+$/.test(value)) throw badRequest(`${name} must be a non-negative integer`, name);
      if (name === '_count') count = Math.min(Number(value), ctx.settings.maxPageSize);
      else offset = Number(value);
      continue;
    }
    if (IGNORED.has(name)) continue;
    if (name === '_summary') {
      if (!SUMMARY_MODES.has(value)) throw badRequest(`_summary must be true, text, data, count or false, not '${value}'`, name);
      summary = value as SummaryMode;
    } else if (name === '_elements') {
      elements = value.split(',');
    } else if (name === '_sort') {
      sort = value.split(',').map((key) => {
        const code = key.replace(/^-/, '');
        const matcher = MATCHERS[code];
        if (!matcher || (matcher.types && !matcher.types.includes(type))) throw badRequest(`Cannot sort ${type} by '${code}'`, name);
        return { matcher, descending: key.startsWith('-') };
      });
    } else {
      const [code, modifier] = name.split(':');
      const matcher = MATCHERS[code];
      if (!matcher || (matcher.types && !matcher.types.includes(type))) {
        // As for stored resources (R4 search.html#errors): ignored and reported, unless the client asks for strictness.
        if (strict) throw badRequest(`Search parameter ${code} is not supported on ${type}`, name);
        ignored.push(`${name}: not a search parameter of ${type} here`);
        continue;
      }
      if (modifier && !MODIFIERS[matcher.type].includes(modifier)) throw badRequest(`Modifier :${modifier} is not supported on ${code}`, name);
      if (value === '') throw badRequest(`Search parameter ${name} has an empty value`, name);
      checkText(value, `Search parameter ${name}`);
      const wanted = value.split(',');
      matches = matches.filter((r) =>
        wanted.some((w) =>
          // url=…|version names one version of a canonical resource (R4 references.html#canonical)
          code === 'url' && w.includes('|') && !modifier
            ? r.url === w.split('|')[0] && r.version === w.split('|')[1]
            : matches1(matcher, modifier, matcher.value(r), w),
        ),
      );
    }
    applied.push([name, value]);
  }
  const ignoredOutcome = (): BundleEntry[] =>
    ignored.length ? [{ resource: outcome('warning', 'not-supported', `Parameters ignored: ${ignored.join('; ')}`), search: { mode: 'outcome' } }] : [];
  if (summary === 'count') {
    const counted: Bundle = { resourceType: 'Bundle', type: 'searchset', total: matches.length };
    if (ignored.length) counted.entry = ignoredOutcome();
    return { status: 200, resource: counted };
  }
  if (sort.length) matches.sort((a, b) => compareBy(sort, a, b));
  const link = (at: number) => `${ctx.baseUrl}/${type}?${new URLSearchParams([...applied, ['_count', String(count)], ['_offset', String(at)]]).toString()}`;
  const page = matches.slice(offset, offset + count);
  const entries = page.map((r): BundleEntry => ({ fullUrl: `${ctx.baseUrl}/${type}/${r.id}`, resource: subset(r, summary, elements), search: { mode: 'match' } }));
  entries.push(...ignoredOutcome());
  const bundle: Bundle = { resourceType: 'Bundle', type: 'searchset', total: matches.length, link: [{ relation: 'self', url: link(offset) }] };
  if (entries.length) bundle.entry = entries;
  // The definitions do not change while the server runs, so offsets are stable links. A page of none has no next.
  if (count > 0 && offset + count < matches.length) bundle.link!.push({ relation: 'next', url: link(offset + count) });
  if (count > 0 && offset > 0) bundle.link!.push({ relation: 'previous', url: link(Math.max(0, offset - count)) });
  return { status: 200, resource: bundle };
}

function compareBy(sort: { matcher: (typeof MATCHERS)[string]; descending: boolean }[], a: Canonical, b: Canonical): number {
  for (const { matcher, descending } of sort) {
    const [x, y] = [matcher.value(a), matcher.value(b)];
    // Missing values last, as for stored resources.
    const order = x === y ? 0 : x === undefined ? 1 : y === undefined ? -1 : x.localeCompare(y);
    if (order !== 0) return descending && x !== undefined && y !== undefined ? -order : order;
  }
  return (a.id ?? '').localeCompare(b.id ?? '');
}

function matches1(matcher: (typeof MATCHERS)[string], modifier: string | undefined, actual: string | undefined, wanted: string): boolean {
  const kind = matcher.type;
  if (actual === undefined) return modifier === 'missing' && wanted === 'true';
  if (modifier === 'missing') return wanted === 'false';
  if (kind === 'token' && wanted.includes('|')) {
    // system|code: the code system these codes are from (none for ids and versions).
    const [system, code] = [wanted.slice(0, wanted.indexOf('|')), wanted.slice(wanted.indexOf('|') + 1)];
    return system === (matcher.system ?? '') && actual === code;
  }
  if (kind === 'string') {
    if (modifier === 'exact') return actual === wanted;
    const norm = normalizeText(actual);
    return modifier === 'contains' ? norm.includes(normalizeText(wanted)) : norm.startsWith(normalizeText(wanted));
  }
  if (kind === 'uri') {
    const [url] = wanted.split('|'); // url|version: the version is matched by the version parameter
    // By whole path segments, as for stored resources.
    const under = (child: string, parent: string) => child === parent || child.startsWith(parent.endsWith('/') ? parent : `${parent}/`);
    if (modifier === 'below') return under(actual, url);
    if (modifier === 'above') return under(url, actual);
    return actual === url;
  }
  return actual === wanted;
}
