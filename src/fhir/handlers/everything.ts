import type { FhirContext, FhirRequest, FhirResponse } from '../fhir-request.js';
import { badRequest } from '../outcomes.js';
import { inPatientCompartment, patientCompartmentParams } from '../compartment.js';
import { parseDateValue } from '../search/parse-values.js';
import { decodeCursor, type ParsedSearch } from '../search/parse-search.js';
import { read } from './read.js';
import { searchBundle } from './search.js';
import { searchRestriction } from '../access-policy.js';

/**
 * Patient/[id]/$everything (R4 patient-operation-everything.html): the patient, every resource in its compartment,
 * and the resources those refer to; `_since`, `_type` and `_count`, paged like a search.
 */
export async function everything(ctx: FhirContext, req: FhirRequest, id: string): Promise<FhirResponse> {
  await read(ctx, { ...req, headers: {} }, 'Patient', id); // 404 / 410 as for a read
  const param = (name: string) => req.query.find(([k]) => k === name)?.[1];
  const compartmentTypes = ['Patient', ...Object.keys(patientCompartmentParams())];
  const requested = param('_type')?.split(',').map((t) => t.trim()).filter(Boolean);
  for (const t of requested ?? []) if (!ctx.resourceTypes.has(t)) throw badRequest(`Unknown resource type '${t}' in _type`, '_type');
  const types = requested ? compartmentTypes.filter((t) => requested.includes(t)) : compartmentTypes;
  const count = param('_count');
  if (count !== undefined && !/^\d+$/.test(count)) throw badRequest('_count must be a non-negative integer', '_count');
  const applied: [string, string][] = [];
  const allowed = searchRestriction(ctx, types, 'r');
  const parsed: ParsedSearch = {
    query: {
      types: allowed.types,
      conditions: [inPatientCompartment(id, allowed.types), ...(allowed.condition ? [allowed.condition] : [])],
      sort: [],
      count: Math.min(Number(count ?? ctx.settings.defaultPageSize), ctx.settings.maxPageSize),
    },
    includes: [{ sourceType: '*', param: '*', iterate: false }],
    revIncludes: [],
    applied,
    ignored: [],
  };
  const since = param('_since');
  if (since !== undefined) {
    const range = parseDateValue('_since', since);
    parsed.query.conditions.push({ kind: 'last-updated', values: [{ prefix: 'ge', low: range.low, high: range.low }] });
    applied.push(['_since', since]);
  }
  if (requested) applied.push(['_type', requested.join(',')]);
  const cursor = param('_cursor');
  if (cursor !== undefined) parsed.query.cursor = decodeCursor(cursor);
  return { status: 200, resource: await searchBundle(ctx, `${ctx.baseUrl}/Patient/${id}/$everything`, [], parsed) };
}
