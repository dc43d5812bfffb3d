import type { Request, RequestHandler, Response } from 'express';
import type { FhirContext, FhirRequest, FhirResponse } from '../fhir/fhir-request.js';
import { badRequest, methodNotAllowed, unsupportedMediaType } from '../fhir/outcomes.js';
import { route } from '../fhir/router.js';
import { readBody } from './fhir-body.js';
import { negotiate, sendResource } from './negotiation.js';
import { storedResourceOf } from '../storage/stored-resource.js';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']);

/** The express adapter of the FHIR REST API: HTTP in, FhirRequest to the router, FhirResponse out. */
export function fhirRoutes(options: { context: (req: Request) => FhirContext; maxBodyBytes: number }): RequestHandler {
  return async (req, res, next) => {
    try {
      const format = negotiate(req);
      const fhirRequest = await toFhirRequest(req, options.maxBodyBytes);
      const response = await route(options.context(req), fhirRequest);
      send(res, req, response, format);
    } catch (err) {
      next(err);
    }
  };
}

async function toFhirRequest(req: Request, maxBodyBytes: number): Promise<FhirRequest> {
  if (!METHODS.has(req.method)) throw methodNotAllowed(`HTTP method ${req.method} is not part of the FHIR API`);
  const { body, contentType, form } = await readBody(req, maxBodyBytes);
  const url = req.originalUrl;
  const q = url.indexOf('?');
  const query: [string, string][] = q >= 0 ? [...new URLSearchParams(url.slice(q + 1))] : [];
  let segments: string[];
  try {
    segments = req.path.replace(/^\/+|\/+$/g, '').split('/').map(decodeURIComponent);
  } catch {
    throw badRequest(`Malformed URL path: ${req.path}`);
  }
  // An encoded slash (%2F) is part of a segment, and no id or name holds one: it would otherwise split it in two.
  if (segments.some((segment) => segment.includes('/'))) throw badRequest(`Malformed URL path: ${req.path} (an encoded / inside a segment)`);
  const path = segments.join('/');
  // A form carries search or operation parameters (R4 http.html#search); as any other body it would be misread.
  const last = segments[segments.length - 1] ?? '';
  if (form && !(req.method === 'POST' && (last === '_search' || last.startsWith('$')))) {
    throw unsupportedMediaType('A form body (application/x-www-form-urlencoded) is for POST _search and operations: send a resource as application/fhir+json');
  }
  const header = (name: string) => (typeof req.headers[name] === 'string' ? (req.headers[name] as string) : undefined);
  return {
    method: req.method as FhirRequest['method'],
    path,
    query: form ? [...query, ...form] : query,
    body,
    contentType,
    headers: {
      ifMatch: header('if-match'),
      ifNoneMatch: header('if-none-match'),
      ifModifiedSince: header('if-modified-since'),
      ifNoneExist: header('if-none-exist'),
      prefer: header('prefer'),
    },
  };
}

function send(res: Response, req: Request, response: FhirResponse, format: ReturnType<typeof negotiate>): void {
  for (const [name, value] of Object.entries(response.headers ?? {})) res.setHeader(name, value);
  res.status(response.status);
  // Whether there is a resource, asked without reading it: reading a stored one would parse it.
  if (response.status === 304 || !(storedResourceOf(response) ?? response.resource)) {
    res.end();
    return;
  }
  sendResource(res, req, response, format);
}

