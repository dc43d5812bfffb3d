import type { FhirContext, FhirRequest, FhirResponse } from './fhir-request.js';
import type { Parameters } from 'fhir/r4.js';
import { FhirError, badRequest, methodNotAllowed, notFound } from './outcomes.js';
import { AuditTrail } from './audit-trail.js';
import { CONFORMANCE_TYPES, conformanceInteraction } from './conformance.js';
import { checkType } from './resource-rules.js';
import { processBundle } from './handlers/bundle.js';
import { capabilityStatement } from './capability.js';
import { everything } from './handlers/everything.js';
import { history } from './handlers/history.js';
import { metaChange, metaRead } from './handlers/meta.js';
import { patch } from './handlers/patch.js';
import { read, vread } from './handlers/read.js';
import { search } from './handlers/search.js';
import { validate } from './handlers/validate.js';
import { conditionalDelete, conditionalUpdate, create, remove, update } from './handlers/write.js';

type Params = Record<string, string>;
type Handler = (ctx: FhirContext, req: FhirRequest, params: Params) => Promise<FhirResponse>;
type Method = FhirRequest['method'];

/** Criteria of a conditional update/delete: the query string of a request on the type itself. */
const criteria = (req: FhirRequest) => new URLSearchParams(req.query).toString();

/**
 * The REST interactions of R4 http.html as a route table: [method, path pattern, handler]. A `:type` segment must
 * name a resource type; operations are segments starting with `$`. First match wins.
 */
const routes: [Method[], string, string, Handler][] = [
  [['GET'], 'metadata', 'capabilities', async (ctx) => ({ status: 200, resource: capabilityStatement(ctx) })],
  [['POST'], '', 'batch', (ctx, req) => processBundle(ctx, req)],
  [['GET'], '', 'search-system', (ctx, req) => search(ctx, req, undefined)],
  [['GET', 'POST'], '_search', 'search-system', (ctx, req) => search(ctx, req, undefined)],
  [['GET'], '_history', 'history-system', (ctx, req) => history(ctx, req)],
  [['GET', 'POST'], 'Patient/$everything', 'operation', (ctx, req) => everything(ctx, operationQuery(req))],
  [['GET', 'POST'], 'Patient/:id/$everything', 'operation', (ctx, req, p) => everything(ctx, operationQuery(req), p.id)],
  [['POST'], '$validate', 'operation', (ctx, req) => validate(ctx, req)],
  [['POST'], ':type/$validate', 'operation', (ctx, req, p) => validate(ctx, req, p.type)],
  [['POST'], ':type/:id/$validate', 'operation', (ctx, req, p) => validate(ctx, req, p.type, p.id)],
  [['GET', 'POST'], '$meta', 'operation', (ctx) => metaRead(ctx)],
  [['GET', 'POST'], ':type/$meta', 'operation', (ctx, _req, p) => metaRead(ctx, p.type)],
  [['GET', 'POST'], ':type/:id/$meta', 'operation', (ctx, _req, p) => metaRead(ctx, p.type, p.id)],
  [['GET', 'POST'], ':type/:id/_history/:vid/$meta', 'operation', (ctx, _req, p) => metaRead(ctx, p.type, p.id, p.vid)],
  [['POST'], ':type/:id/$meta-add', 'operation', (ctx, req, p) => metaChange(ctx, req, p.type, p.id, 'add')],
  [['POST'], ':type/:id/$meta-delete', 'operation', (ctx, req, p) => metaChange(ctx, req, p.type, p.id, 'delete')],
  [['POST'], ':type/:id/_history/:vid/$meta-add', 'operation', (ctx, req, p) => metaChange(ctx, req, p.type, p.id, 'add', p.vid)],
  [['POST'], ':type/:id/_history/:vid/$meta-delete', 'operation', (ctx, req, p) => metaChange(ctx, req, p.type, p.id, 'delete', p.vid)],
  [['GET'], ':type', 'search-type', (ctx, req, p) => search(ctx, req, p.type)],
  [['POST'], ':type/_search', 'search-type', (ctx, req, p) => search(ctx, req, p.type)],
  [['POST'], ':type', 'create', (ctx, req, p) => create(ctx, req, p.type)],
  [['PUT'], ':type', 'update', (ctx, req, p) => conditionalUpdate(ctx, req, p.type, requireCriteria(req, 'PUT'))],
  [['DELETE'], ':type', 'delete', (ctx, req, p) => conditionalDelete(ctx, req, p.type, requireCriteria(req, 'DELETE'))],
  [['GET'], ':type/_history', 'history-type', (ctx, req, p) => history(ctx, req, p.type)],
  [['GET'], ':type/:id', 'read', (ctx, req, p) => read(ctx, req, p.type, p.id)],
  [['PUT'], ':type/:id', 'update', (ctx, req, p) => update(ctx, req, p.type, p.id)],
  [['PATCH'], ':type/:id', 'patch', (ctx, req, p) => patch(ctx, req, p.type, p.id)],
  [['DELETE'], ':type/:id', 'delete', (ctx, req, p) => remove(ctx, req, p.type, p.id)],
  [['GET'], ':type/:id/_history', 'history-instance', (ctx, req, p) => history(ctx, req, p.type, p.id)],
  [['GET'], ':type/:id/_history/:vid', 'vread', (ctx, req, p) => vread(ctx, req, p.type, p.id, p.vid)],
];

/**
 * An operation's parameters in one list, wherever they came (R4 operations.html#request): the URL, a form body, or a
 * Parameters body whose primitive values count as the same parameters written in the URL.
 */
function operationQuery(req: FhirRequest): FhirRequest {
  const body = req.body as Partial<Parameters> | undefined;
  if (body === undefined) return req;
  if (body?.resourceType !== 'Parameters') throw badRequest('An operation takes its parameters in the URL, or in a Parameters body');
  const fromBody = (body.parameter ?? []).map((p): [string, string] => {
    const key = Object.keys(p).find((k) => k.startsWith('value'));
    const value = key ? (p as unknown as Record<string, unknown>)[key] : undefined;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') throw badRequest(`Operation parameter ${p.name} must be a primitive value`);
    return [p.name, String(value)];
  });
  return { ...req, body: undefined, query: [...req.query, ...fromBody] };
}

function requireCriteria(req: FhirRequest, method: string): string {
  const value = criteria(req);
  if (!value) throw methodNotAllowed(`${method} on a resource type needs search criteria (conditional ${method === 'PUT' ? 'update' : 'delete'}) or an id`);
  return value;
}

/** Routes a FHIR request to its handler; unknown paths are 404 and known paths with another method 405. */
export async function route(ctx: FhirContext, req: FhirRequest): Promise<FhirResponse> {
  const segments = req.path === '' ? [] : req.path.split('/');
  if (CONFORMANCE_TYPES.has(segments[0])) return conformanceInteraction(ctx, req, segments[0], segments);
  let pathMatched = false;
  for (const [methods, pattern, interaction, handler] of routes) {
    const params = match(pattern, segments);
    if (!params) continue;
    pathMatched = true;
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    if (!methods.includes(method)) continue;
    if (params.type) checkType(params.type, ctx.resourceTypes);
    return audited(ctx, req, interaction, params, () => handler(ctx, req, params));
  }
  if (pathMatched) {
    if (segments[0] && /^[A-Z]/.test(segments[0])) checkType(segments[0], ctx.resourceTypes);
    throw methodNotAllowed(`${req.method} is not allowed on ${req.path || 'the base URL'}`);
  }
  if (segments[0] && /^[A-Z]/.test(segments[0])) checkType(segments[0], ctx.resourceTypes);
  throw notFound(`No FHIR interaction at ${req.path}`);
}

/** Runs an interaction and records the access, whatever its outcome, when it concerns patient data. */
async function audited(ctx: FhirContext, req: FhirRequest, interaction: string, params: Params, run: () => Promise<FhirResponse>) {
  const type = params.type ?? (params.id ? 'Patient' : undefined);
  if (!ctx.access || !ctx.audit || interaction === 'capabilities' || interaction === 'batch' || !AuditTrail.concernsPatientData(type)) {
    return run();
  }
  const record = (status: number, id = params.id) =>
    ctx.audit!.record({
      access: ctx.access!,
      interaction,
      method: req.method,
      type,
      id,
      query: req.query.length ? new URLSearchParams(req.query).toString() : undefined,
      status,
    });
  try {
    const response = await run();
    // The id of a resource the request did not name (a create): a read's resource is left unread, unparsed.
    record(response.status, params.id ?? (response.resource?.resourceType === type ? response.resource?.id : undefined));
    return response;
  } catch (err) {
    record(err instanceof FhirError ? err.status : 500);
    throw err;
  }
}

/** Route patterns split into segments once. */
const patternParts = new Map(routes.map(([, pattern]) => [pattern, pattern === '' ? [] : pattern.split('/')]));

function match(pattern: string, segments: string[]): Params | undefined {
  const parts = patternParts.get(pattern)!;
  if (parts.length !== segments.length) return undefined;
  const params: Params = {};
  for (let i = 0; i < parts.length; i++) {
    if (parts[i].startsWith(':')) {
      // A variable never captures an operation or a reserved segment such as _history or _search, and a type is
      // capitalised: `metadata` is not one.
      if (segments[i].startsWith('$') || segments[i].startsWith('_') || segments[i] === '') return undefined;
      if (parts[i] === ':type' && !/^[A-Z]/.test(segments[i])) return undefined;
      params[parts[i].slice(1)] = segments[i];
    } else if (parts[i] !== segments[i]) {
      return undefined;
    }
  }
  return params;
}
