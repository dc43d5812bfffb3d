import type { Bundle, BundleEntry, Resource } from 'fhir/r4.js';
import { cursorFits, sortKeyKinds } from '../../storage/search-query.js';
import { attachStoredResource, type StoredResource } from '../../storage/stored-resource.js';
import { preferences, type FhirContext, type FhirRequest, type FhirResponse } from '../fhir-request.js';
import { badRequest, outcome, unsupportedMediaType } from '../outcomes.js';
import { encodeCursor, parseSearch, type ParsedSearch } from '../search/parse-search.js';
import { subset, subsets } from '../subset.js';
import { checkType } from '../resource-rules.js';
import { CONFORMANCE_TYPES } from '../conformance.js';
import { filterVisible, searchRestriction } from '../access-policy.js';

/**
 * search: GET/POST [type]?… and [base]?… / [base]/_search with `_type` (R4 http.html#search, search.html).
 * Returns a searchset Bundle with match and include entries, `self`/`next`/`previous` links whose cursors keep
 * working while data changes, and an outcome entry listing ignored parameters.
 */
export async function search(ctx: FhirContext, req: FhirRequest, type: string | undefined): Promise<FhirResponse> {
  if (req.body !== undefined) {
    throw unsupportedMediaType('Search parameters go in the URL, or with POST _search in a form body (application/x-www-form-urlencoded)');
  }
  const { types, params } = searchTypes(ctx, type, req.query);
  const parsed = parseSearch(types, params, {
    registry: ctx.searchParameters,
    terminology: ctx.terminology,
    baseUrl: ctx.baseUrl,
    strict: preferences(req.headers.prefer).handling === 'strict',
    defaultCount: ctx.settings.defaultPageSize,
    maxCount: ctx.settings.maxPageSize,
  });
  const allowed = searchRestriction(ctx, types.length ? types : [...ctx.resourceTypes], 's');
  if (ctx.access) parsed.query.types = allowed.types;
  if (allowed.condition) parsed.query.conditions.push(allowed.condition);
  const typeParam: [string, string][] = !type && parsed.query.types.length ? [['_type', parsed.query.types.join(',')]] : [];
  return { status: 200, resource: await searchBundle(ctx, `${ctx.baseUrl}/${type ?? ''}`.replace(/\/$/, ''), typeParam, parsed) };
}

function searchTypes(ctx: FhirContext, type: string | undefined, query: [string, string][]) {
  if (type) {
    checkType(type, ctx.resourceTypes);
    return { types: [type], params: query };
  }
  const types = query.filter(([k]) => k === '_type').flatMap(([, v]) => v.split(',').map((t) => t.trim()).filter(Boolean));
  for (const t of types) {
    if (!ctx.resourceTypes.has(t)) throw badRequest(`Unknown resource type '${t}' in _type`, '_type');
    // They are not stored: a system-level search would silently find none of them.
    if (CONFORMANCE_TYPES.has(t)) throw badRequest(`${t} resources are the server's definitions: search them at GET [base]/${t}`, '_type');
  }
  return { types, params: query.filter(([k]) => k !== '_type') };
}

/** Runs a parsed search and builds its Bundle; links are `base?params`, `params` starting with `fixedParams`. */
export async function searchBundle(ctx: FhirContext, base: string, fixedParams: [string, string][], parsed: ParsedSearch): Promise<Bundle> {
  if (parsed.query.cursor && !cursorFits(parsed.query.cursor.keys, sortKeyKinds(parsed.query.sort))) {
    throw badRequest('The _cursor does not belong to this search: use the links the server returned', '_cursor');
  }
  const link = (extra: [string, string][]) => {
    const params = new URLSearchParams([...fixedParams, ...parsed.applied.filter(([k]) => k !== '_count'), ['_count', String(parsed.query.count)], ...extra]);
    return `${base}?${params.toString()}`;
  };
  const bundle: Bundle = { resourceType: 'Bundle', type: 'searchset', meta: { lastUpdated: new Date().toISOString() } };
  // The parameters ignored are told whatever the search returns, a count included.
  const ignored: BundleEntry[] = parsed.ignored.length
    ? [{ resource: outcome('warning', 'not-supported', `Parameters ignored: ${parsed.ignored.join('; ')}`), search: { mode: 'outcome' } }]
    : [];

  if (parsed.summary === 'count') {
    const page = await ctx.repo.search({ ...parsed.query, count: 0, cursor: undefined, total: 'accurate' });
    bundle.total = page.total;
    bundle.link = [{ relation: 'self', url: link([]) }];
    if (ignored.length) bundle.entry = ignored;
    return bundle;
  }

  const page = await ctx.repo.search(parsed.query);
  const included = parsed.includes.length || parsed.revIncludes.length
    ? await filterVisible(ctx, await ctx.repo.includes(page.resources, parsed.includes, parsed.revIncludes), 'r')
    : [];
  if (page.total !== undefined) bundle.total = page.total;
  const self = parsed.query.cursor ? [['_cursor', encodeCursor(parsed.query.cursor)] as [string, string]] : [];
  bundle.link = [{ relation: 'self', url: link(self) }];
  if (page.hasNext && page.lastKeys) bundle.link.push({ relation: 'next', url: link([['_cursor', encodeCursor({ direction: 'next', keys: page.lastKeys })]]) });
  if (page.hasPrevious && page.firstKeys) {
    bundle.link.push({ relation: 'previous', url: link([['_cursor', encodeCursor({ direction: 'previous', keys: page.firstKeys })]]) });
  }
  const whole = !subsets(parsed.summary, parsed.elements);
  const entry = (resource: Resource, mode: 'match' | 'include'): BundleEntry => ({
    fullUrl: `${ctx.baseUrl}/${resource.resourceType}/${resource.id}`,
    resource: subset(resource, parsed.summary, parsed.elements),
    search: { mode },
  });
  // Whole matches stay as stored, for the response to carry the stored JSON.
  const match = (stored: StoredResource): BundleEntry =>
    whole ? attachStoredResource({ fullUrl: `${ctx.baseUrl}/${stored.resourceType}/${stored.id}`, search: { mode: 'match' } }, stored) : entry(stored.resource, 'match');
  const entries = [...page.resources.map(match), ...included.map((r) => entry(r, 'include')), ...ignored];
  if (entries.length) bundle.entry = entries; // FHIR JSON has no empty arrays
  return bundle;
}
