import type { Bundle, BundleEntry } from 'fhir/r4.js';
import type { StoredVersion } from '../../storage/repository.js';
import type { FhirContext, FhirRequest, FhirResponse } from '../fhir-request.js';
import { badRequest, notFound } from '../outcomes.js';
import { dateRange } from '../search/date-range.js';
import { checkId } from '../resource-rules.js';
import { decodeCursor, encodeCursor } from '../search/parse-search.js';
import { cursorFits, type PageCursor } from '../../storage/search-query.js';
import { filterVisible, requirePermission, requireVisible, restriction } from '../access-policy.js';

/**
 * history at instance, type and system level (R4 http.html#history): newest first, with deletions as entries
 * carrying only a request and response. `_since` and `_count` are honoured.
 */
export async function history(ctx: FhirContext, req: FhirRequest, type?: string, id?: string): Promise<FhirResponse> {
  if (type) requirePermission(ctx, type, 'r');
  if (id) {
    checkId(id);
    if (!(await ctx.repo.readCurrent(type!, id))) throw notFound(`${type}/${id} is not known`);
    await requireVisible(ctx, type!, id, 'r');
  }
  const param = (name: string) => req.query.find(([k]) => k === name)?.[1];
  const count = Math.min(integer(param('_count'), '_count') ?? ctx.settings.defaultPageSize, ctx.settings.maxPageSize);
  const since = instant(param('_since'), '_since');
  const cursorParam = param('_cursor');
  const cursor = cursorParam === undefined ? undefined : decodeCursor(cursorParam);
  // last updated, type, id, version
  if (cursor && !cursorFits(cursor.keys, ['integer', 'string', 'string', 'integer'])) {
    throw badRequest('The _cursor does not belong to a history: use the links the server returned', '_cursor');
  }
  const history = await ctx.repo.history({ type, id, since: since?.low, count, cursor });
  // Type and system history show what the caller may read now: every version of the types it may read whole;
  // of the others, the versions of resources it may read now, and no deletions (they have no content to check).
  const unrestricted = memoize((t: string) => restriction(ctx, t, 'r').kind === 'unrestricted');
  const checked = history.versions.filter((v) => v.resource && !unrestricted(v.resourceType)).map((v) => v.resource!);
  const readable = new Set((await filterVisible(ctx, checked, 'r')).map((r) => `${r.resourceType}/${r.id}`));
  const versions = id
    ? history.versions
    : history.versions.filter((v) => unrestricted(v.resourceType) || (v.resource && readable.has(`${v.resourceType}/${v.id}`)));

  const base = [ctx.baseUrl, type, id, '_history'].filter(Boolean).join('/');
  const link = (pageCursor?: PageCursor) => {
    const params = new URLSearchParams(req.query.filter(([k]) => k !== '_cursor' && k !== '_count'));
    params.set('_count', String(count));
    if (pageCursor) params.set('_cursor', encodeCursor(pageCursor));
    return `${base}?${params.toString()}`;
  };
  const bundle: Bundle = {
    resourceType: 'Bundle',
    type: 'history',
    meta: { lastUpdated: new Date().toISOString() },
    // The count covers every version of the type: only a caller who may read them all is told it.
    total: id || !ctx.access || (type && restriction(ctx, type, 'r').kind === 'unrestricted') ? history.total : undefined,
    link: [{ relation: 'self', url: link(cursor) }],
    entry: versions.map((v) => historyEntry(ctx, v)),
  };
  if (history.hasNext && history.lastKeys) bundle.link!.push({ relation: 'next', url: link({ direction: 'next', keys: history.lastKeys }) });
  if (history.hasPrevious && history.firstKeys) {
    bundle.link!.push({ relation: 'previous', url: link({ direction: 'previous', keys: history.firstKeys }) });
  }
  return { status: 200, resource: bundle };
}

function historyEntry(ctx: FhirContext, v: StoredVersion): BundleEntry {
  const url = `${v.resourceType}/${v.id}`;
  const entry: BundleEntry = {
    fullUrl: `${ctx.baseUrl}/${url}`,
    request: { method: v.deleted ? 'DELETE' : v.versionId === '1' ? 'POST' : 'PUT', url: v.versionId === '1' && !v.deleted ? v.resourceType : url },
    response: { status: v.deleted ? '204' : v.versionId === '1' ? '201' : '200', etag: `W/"${v.versionId}"`, lastModified: v.lastUpdated },
  };
  if (v.resource) entry.resource = v.resource;
  return entry;
}

function memoize<T>(fn: (key: string) => T): (key: string) => T {
  const known = new Map<string, T>();
  return (key) => {
    if (!known.has(key)) known.set(key, fn(key));
    return known.get(key)!;
  };
}

function integer(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,9}$/.test(value)) throw badRequest(`${name} must be a non-negative integer`, name);
  return Number(value);
}

function instant(value: string | undefined, name: string) {
  if (value === undefined) return undefined;
  const range = dateRange(value);
  if (!range) throw badRequest(`${name} must be an instant such as 2024-05-17T10:00:00Z, not '${value}'`, name);
  return range;
}
