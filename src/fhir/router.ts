import type { FhirContext, FhirRequest, FhirResponse } from './fhir-request.js';
import { methodNotAllowed, notFound } from './outcomes.js';
import { checkType } from './resource-rules.js';
import { processBundle } from './handlers/bundle.js';
import { capabilityStatement } from './capability.js';
import { everything } from './handlers/everything.js';
import { history } from './handlers/history.js';
import { metaChange, metaRead } from './handlers/meta.js';
import { patch } from './handlers/patch.js';
import { read, vread } from './handlers/read.js';
import { search } from './handlers/search.js';
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
const routes: [Method[], string, Handler][] = [
  [['GET'], 'metadata', async (ctx) => ({ status: 200, resource: capabilityStatement(ctx) })],
  [['POST'], '', (ctx, req) => processBundle(ctx, req)],
  [['GET'], '', (ctx, req) => search(ctx, req, undefined)],
  [['GET', 'POST'], '_search', (ctx, req) => search(ctx, req, undefined)],
  [['GET'], '_history', (ctx, req) => history(ctx, req)],
  [['GET'], 'Patient/:id/$everything', (ctx, req, p) => everything(ctx, req, p.id)],
  [['GET', 'POST'], ':type/:id/$meta', (ctx, _req, p) => metaRead(ctx, p.type, p.id)],
  [['POST'], ':type/:id/$meta-add', (ctx, req, p) => metaChange(ctx, req, p.type, p.id, 'add')],
  [['POST'], ':type/:id/$meta-delete', (ctx, req, p) => metaChange(ctx, req, p.type, p.id, 'delete')],
  [['GET'], ':type', (ctx, req, p) => search(ctx, req, p.type)],
  [['POST'], ':type/_search', (ctx, req, p) => search(ctx, req, p.type)],
  [['POST'], ':type', (ctx, req, p) => create(ctx, req, p.type)],
  [['PUT'], ':type', (ctx, req, p) => conditionalUpdate(ctx, req, p.type, requireCriteria(req, 'PUT'))],
  [['DELETE'], ':type', (ctx, req, p) => conditionalDelete(ctx, req, p.type, requireCriteria(req, 'DELETE'))],
  [['GET'], ':type/_history', (ctx, req, p) => history(ctx, req, p.type)],
  [['GET'], ':type/:id', (ctx, req, p) => read(ctx, req, p.type, p.id)],
  [['PUT'], ':type/:id', (ctx, req, p) => update(ctx, req, p.type, p.id)],
  [['PATCH'], ':type/:id', (ctx, req, p) => patch(ctx, req, p.type, p.id)],
  [['DELETE'], ':type/:id', (ctx, req, p) => remove(ctx, req, p.type, p.id)],
  [['GET'], ':type/:id/_history', (ctx, req, p) => history(ctx, req, p.type, p.id)],
  [['GET'], ':type/:id/_history/:vid', (ctx, req, p) => vread(ctx, req, p.type, p.id, p.vid)],
];

function requireCriteria(req: FhirRequest, method: string): string {
  const value = criteria(req);
  if (!value) throw methodNotAllowed(`${method} on a resource type needs search criteria (conditional ${method === 'PUT' ? 'update' : 'delete'}) or an id`);
  return value;
}

/** Routes a FHIR request to its handler; unknown paths are 404 and known paths with another method 405. */
export async function route(ctx: FhirContext, req: FhirRequest): Promise<FhirResponse> {
  const segments = req.path === '' ? [] : req.path.split('/');
  let pathMatched = false;
  for (const [methods, pattern, handler] of routes) {
    const params = match(pattern, segments);
    if (!params) continue;
    pathMatched = true;
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    if (!methods.includes(method)) continue;
    if (params.type) checkType(params.type, ctx.resourceTypes);
    return handler(ctx, req, params);
  }
  if (pathMatched) {
    if (segments[0] && /^[A-Z]/.test(segments[0])) checkType(segments[0], ctx.resourceTypes);
    throw methodNotAllowed(`${req.method} is not allowed on ${req.path || 'the base URL'}`);
  }
  if (segments[0] && /^[A-Z]/.test(segments[0])) checkType(segments[0], ctx.resourceTypes);
  throw notFound(`No FHIR interaction at ${req.path}`);
}

function match(pattern: string, segments: string[]): Params | undefined {
  const parts = pattern === '' ? [] : pattern.split('/');
  if (parts.length !== segments.length) return undefined;
  const params: Params = {};
  for (let i = 0; i < parts.length; i++) {
    if (parts[i].startsWith(':')) {
      // A variable never captures an operation or a reserved segment such as _history or _search.
      if (segments[i].startsWith('$') || segments[i].startsWith('_') || segments[i] === '') return undefined;
      params[parts[i].slice(1)] = segments[i];
    } else if (parts[i] !== segments[i]) {
      return undefined;
    }
  }
  return params;
}

/** What the CapabilityStatement must declare: the operations routed here. */
export const routedOperations = routes.map(([methods, pattern]) => ({ methods, pattern }));
