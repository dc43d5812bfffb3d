import type { Bundle } from 'fhir/r4.js';
import type { Condition, Include } from '../../storage/search-query.js';
import type { FhirContext, FhirRequest, FhirResponse } from '../fhir-request.js';
import { badRequest } from '../outcomes.js';
import { inPatientCompartment, patientCompartmentParams } from '../compartment.js';
import { parseDateValue } from '../search/parse-values.js';
import { decodeCursor, type ParsedSearch } from '../search/parse-search.js';
import { read } from './read.js';
import { searchBundle } from './search.js';
import { searchRestriction } from '../access-policy.js';

/**
 * Patient/[id]/$everything and Patient/$everything (R4 patient-operation-everything.html): the patient (at type
 * level, every patient the caller may read), every resource in its compartment, and the resources those refer to,
 * paged like a search. `_type` keeps resources of those types, the referenced ones included; `start` and `end` keep
 * the resources whose care date (their `date` search parameter, for the types that have one) falls in the range;
 * `_since` those changed since.
 */
export async function everything(ctx: FhirContext, req: FhirRequest, id?: string): Promise<FhirResponse> {
  if (id) await read(ctx, { ...req, headers: {} }, 'Patient', id); // 404 / 410 as for a read
  const base = `${ctx.baseUrl}/Patient${id ? `/${id}` : ''}/$everything`;
  const param = (name: string) => req.query.find(([k]) => k === name)?.[1];
  const applied: [string, string][] = [];
  const typeParams = req.query.filter(([k]) => k === '_type');
  const requested = typeParams.length ? typeParams.flatMap(([, v]) => v.split(',')).map((t) => t.trim()).filter(Boolean) : undefined;
  for (const t of requested ?? []) if (!ctx.resourceTypes.has(t)) throw badRequest(`Unknown resource type '${t}' in _type`, '_type');
  if (requested) applied.push(['_type', requested.join(',')]);
  const compartmentTypes = ['Patient', ...Object.keys(patientCompartmentParams())];
  const types = requested ? compartmentTypes.filter((t) => requested.includes(t)) : compartmentTypes;
  if (!types.length) return { status: 200, resource: emptySearchset(base, applied) };
  const count = param('_count');
  if (count !== undefined && !/^\d+$/.test(count)) throw badRequest('_count must be a non-negative integer', '_count');

  const allowed = searchRestriction(ctx, types, 'r');
  const conditions: Condition[] = [inPatientCompartment(id, allowed.types), ...(allowed.condition ? [allowed.condition] : [])];
  const since = param('_since');
  if (since !== undefined) {
    const range = parseDateValue('_since', since);
    conditions.push({ kind: 'last-updated', values: [{ prefix: 'ge', low: range.low, high: range.low }] });
    applied.push(['_since', since]);
  }
  const start = param('start');
  const end = param('end');
  if (start !== undefined || end !== undefined) {
    conditions.push(careDates(ctx, allowed.types, start, end));
    if (start !== undefined) applied.push(['start', start]);
    if (end !== undefined) applied.push(['end', end]);
  }
  // What the compartment's resources refer to, of the requested types only.
  const includes: Include[] = requested
    ? requested.map((targetType) => ({ sourceType: '*', param: '*', targetType, iterate: false }))
    : [{ sourceType: '*', param: '*', iterate: false }];
  const parsed: ParsedSearch = {
    query: { types: allowed.types, conditions, sort: [], count: Math.min(Number(count ?? ctx.settings.defaultPageSize), ctx.settings.maxPageSize) },
    includes,
    revIncludes: [],
    applied,
    ignored: [],
  };
  const cursor = param('_cursor');
  if (cursor !== undefined) parsed.query.cursor = decodeCursor(cursor);
  return { status: 200, resource: await searchBundle(ctx, base, [], parsed) };
}

/**
 * `start` and `end` as a condition: resources of types with a `date` search parameter (their clinical date) whose
 * date meets the range; resources of the other types all pass, having no care date to compare.
 */
function careDates(ctx: FhirContext, types: string[], start: string | undefined, end: string | undefined): Condition {
  const bounds: Condition[] = [];
  if (start !== undefined) bounds.push({ kind: 'date', param: 'date', values: [{ ...parseDateValue('start', start), prefix: 'ge' }] });
  if (end !== undefined) bounds.push({ kind: 'date', param: 'date', values: [{ ...parseDateValue('end', end), prefix: 'le' }] });
  const branches = types.map((type): Condition =>
    ctx.searchParameters.get(type, 'date')?.type === 'date' ? { kind: 'all', conditions: [{ kind: 'type', type }, ...bounds] } : { kind: 'type', type },
  );
  return { kind: 'any', conditions: branches };
}

function emptySearchset(base: string, applied: [string, string][]): Bundle {
  const self = applied.length ? `${base}?${new URLSearchParams(applied).toString()}` : base;
  return { resourceType: 'Bundle', type: 'searchset', total: 0, link: [{ relation: 'self', url: self }] };
}
