import type { StoredResource } from '../../storage/stored-resource.js';
import type { FhirContext } from '../fhir-request.js';
import { badRequest } from '../outcomes.js';
import { parseSearch } from '../search/parse-search.js';
import { requirePermission } from '../access-policy.js';
import { checkText } from '../resource-rules.js';

/**
 * The resources matching the criteria of a conditional create, update, delete or reference (R4 http.html#cond):
 * at most two are fetched, since callers only distinguish none, one and many. Unknown parameters are errors here:
 * ignoring one would widen the match.
 */
export async function findMatches(ctx: FhirContext, type: string, criteria: string): Promise<StoredResource[]> {
  const params = [...new URLSearchParams(criteria)];
  if (!params.length) throw badRequest(`Conditional criteria for ${type} are empty`);
  const parsed = parseSearch([type], params, {
    registry: ctx.searchParameters,
    terminology: ctx.terminology,
    baseUrl: ctx.baseUrl,
    strict: true,
    defaultCount: 2,
    maxCount: 2,
  });
  // Matching must not see what the caller may not read, or a conditional write would reveal or change it.
  const visible = requirePermission(ctx, type, 'r');
  if (visible.kind === 'restricted') parsed.query.conditions.push(visible.condition);
  parsed.query.count = 2;
  parsed.query.total = 'none';
  parsed.query.sort = [];
  const page = await ctx.repo.search(parsed.query);
  return page.resources;
}

/**
 * The lock that serializes conditional operations on the same criteria, across processes. Taken before the search
 * that would refuse bad criteria, so its key is checked here: the database takes no NUL in it.
 */
export function conditionalLock(type: string, criteria: string): string {
  const params = [...new URLSearchParams(criteria)].map(([k, v]) => `${k}=${v}`).sort();
  for (const param of params) checkText(param, 'The conditional criteria');
  return `conditional:${type}?${params.join('&')}`;
}

/** The criteria of If-None-Exist, which may be sent as `Patient?identifier=x` or just `identifier=x`. */
export function ifNoneExistCriteria(header: string, type: string): string {
  const q = header.indexOf('?');
  return q >= 0 && header.slice(0, q).replace(/^.*\//, '') === type ? header.slice(q + 1) : header.replace(/^\?/, '');
}
