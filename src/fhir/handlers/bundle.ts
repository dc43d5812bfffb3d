import type { Bundle, BundleEntry, BundleEntryResponse, Resource } from 'fhir/r4.js';
import type { FhirContext, FhirRequest, FhirResponse } from '../fhir-request.js';
import { FhirError, badRequest, outcome, preconditionFailed, tooLarge } from '../outcomes.js';
import { route } from '../router.js';
import { ID_PATTERN } from '../resource-rules.js';
import { findMatches } from './conditional.js';

type Method = FhirRequest['method'];

/** The order a transaction processes its entries in (R4 http.html#trules): deletes, creates, updates, reads. */
const ORDER: Record<string, number> = { DELETE: 0, POST: 1, PUT: 2, PATCH: 2, GET: 3, HEAD: 3 };

/**
 * POST [base] with a batch or transaction Bundle (R4 http.html#transaction). A transaction commits all its entries
 * or none; a batch answers each entry independently.
 */
export async function processBundle(ctx: FhirContext, req: FhirRequest): Promise<FhirResponse> {
  const bundle = req.body as Partial<Bundle> | undefined;
  if (!bundle || typeof bundle !== 'object' || bundle.resourceType !== 'Bundle') {
    throw badRequest('POST to the base URL takes a Bundle of type batch or transaction');
  }
  if (bundle.type !== 'batch' && bundle.type !== 'transaction') {
    throw badRequest(`Bundle.type must be batch or transaction, not '${String(bundle.type)}'`, 'Bundle.type');
  }
  const entries = bundle.entry ?? [];
  if (!Array.isArray(entries)) throw badRequest('Bundle.entry must be an array', 'Bundle.entry');
  if (entries.length > ctx.settings.maxBundleEntries) {
    throw tooLarge(`The Bundle has ${entries.length} entries; at most ${ctx.settings.maxBundleEntries} are accepted`);
  }
  const requests = entries.map((entry, i) => entryRequest(entry, i));
  return bundle.type === 'batch' ? batch(ctx, requests) : transaction(ctx, entries, requests);
}

async function batch(ctx: FhirContext, requests: (FhirRequest | FhirError)[]): Promise<FhirResponse> {
  const responses: BundleEntry[] = [];
  for (const request of requests) {
    try {
      if (request instanceof FhirError) throw request;
      responses.push(responseEntry(ctx, await route(ctx, request)));
    } catch (err) {
      if (!(err instanceof FhirError)) throw err;
      responses.push({ response: { status: String(err.status), outcome: err.outcome } });
    }
  }
  const bundle: Bundle = { resourceType: 'Bundle', type: 'batch-response', entry: responses };
  return { status: 200, resource: bundle };
}

async function transaction(ctx: FhirContext, entries: BundleEntry[], requests: (FhirRequest | FhirError)[]): Promise<FhirResponse> {
  const failed = requests.findIndex((r) => r instanceof FhirError);
  if (failed >= 0) throw inEntry(requests[failed] as FhirError, failed);
  const valid = requests as FhirRequest[];
  const duplicate = firstDuplicate(entries);
  if (duplicate) throw badRequest(`Two entries have the fullUrl ${duplicate}`, 'Bundle.entry.fullUrl');

  return ctx.repo.transaction(async (repo) => {
    const scoped: FhirContext = { ...ctx, repo };
    const ids = await assignIds(scoped, entries, valid);
    const order = valid.map((_, i) => i).sort((a, b) => ORDER[valid[a].method] - ORDER[valid[b].method] || a - b);
    const results: BundleEntry[] = new Array(valid.length);
    for (const i of order) {
      const request = { ...valid[i], body: rewriteReferences(valid[i].body, ids) };
      try {
        results[i] = responseEntry(scoped, await route(scoped, request));
      } catch (err) {
        throw err instanceof FhirError ? inEntry(err, i) : err;
      }
    }
    const bundle: Bundle = { resourceType: 'Bundle', type: 'transaction-response', entry: results };
    return { status: 200, resource: bundle };
  });
}

/**
 * Decides the id each created resource will have before anything runs, so that `urn:uuid:` fullUrls and
 * conditional references (`Patient?identifier=…`) can be rewritten to `Type/id` throughout the Bundle.
 */
async function assignIds(ctx: FhirContext, entries: BundleEntry[], requests: FhirRequest[]): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const [i, request] of requests.entries()) {
    const fullUrl = entries[i].fullUrl;
    const resource = request.body as Resource | undefined;
    if (request.method === 'POST' && request.path && !request.path.includes('/') && resource) {
      let id = ctx.newId();
      if (request.headers.ifNoneExist) {
        const matches = await findMatches(ctx, request.path, request.headers.ifNoneExist.replace(/^.*\?/, ''));
        if (matches.length === 1) id = matches[0].id;
      }
      request.assignedId = id;
      if (fullUrl) ids.set(fullUrl, `${request.path}/${id}`);
    } else if (request.method === 'PUT' && fullUrl && /^[A-Z][A-Za-z]+\/[^/?]+$/.test(request.path)) {
      ids.set(fullUrl, request.path);
    }
  }
  for (const reference of conditionalReferences(entries)) {
    const [type, criteria] = reference.split('?', 2);
    const matches = await findMatches(ctx, type, criteria);
    if (matches.length !== 1) {
      throw preconditionFailed(`The conditional reference ${reference} matches ${matches.length} resources; it must match one`);
    }
    ids.set(reference, `${type}/${matches[0].id}`);
  }
  return ids;
}

function conditionalReferences(entries: BundleEntry[]): Set<string> {
  const found = new Set<string>();
  walkReferences(entries.map((e) => e.resource), (ref) => {
    if (/^[A-Z][A-Za-z]+\?./.test(ref)) found.add(ref);
    return ref;
  });
  return found;
}

function rewriteReferences(body: unknown, ids: Map<string, string>): unknown {
  if (!ids.size || !body) return body;
  const copy = structuredClone(body);
  walkReferences([copy], (ref) => ids.get(ref) ?? ref);
  return copy;
}

/** Visits every `reference` string of Reference elements, replacing it with what `visit` returns. */
function walkReferences(values: unknown[], visit: (reference: string) => string): void {
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      for (const [key, child] of Object.entries(record)) {
        if (key === 'reference' && typeof child === 'string') record[key] = visit(child);
        else walk(child);
      }
    }
  };
  values.forEach(walk);
}

function entryRequest(entry: BundleEntry, index: number): FhirRequest | FhirError {
  const where = `Bundle.entry[${index}]`;
  const request = entry?.request;
  if (!request || typeof request.url !== 'string' || typeof request.method !== 'string') {
    return badRequest(`${where} needs request.method and request.url`, `${where}.request`);
  }
  const method = request.method.toUpperCase() as Method;
  if (!(method in ORDER)) return badRequest(`${where}: unsupported method ${request.method}`, `${where}.request.method`);
  const url = request.url.replace(/^\//, '');
  const q = url.indexOf('?');
  const path = q >= 0 ? url.slice(0, q) : url;
  if (/^https?:/.test(path)) return badRequest(`${where}: request.url must be relative to the base`, `${where}.request.url`);
  for (const header of ['ifMatch', 'ifNoneMatch', 'ifModifiedSince', 'ifNoneExist'] as const) {
    if (request[header] !== undefined && typeof request[header] !== 'string') {
      return badRequest(`${where}: request.${header} must be a string`, `${where}.request.${header}`);
    }
  }
  const resource = entry.resource;
  if ((method === 'POST' || method === 'PUT') && !resource) return badRequest(`${where} needs a resource for ${method}`, `${where}.resource`);
  if (method === 'PUT' && resource && path.split('/').length === 2 && resource.id === undefined) {
    const id = path.split('/')[1];
    if (ID_PATTERN.test(id)) resource.id = id; // the URL carries the id the client means
  }
  return {
    method,
    path,
    query: q >= 0 ? [...new URLSearchParams(url.slice(q + 1))] : [],
    body: method === 'PATCH' && resource?.resourceType === 'Binary' ? decodeBinaryPatch(resource) : resource,
    contentType: method === 'PATCH' && resource?.resourceType === 'Binary' ? 'application/json-patch+json' : 'application/fhir+json',
    headers: {
      ifMatch: request.ifMatch,
      ifNoneMatch: request.ifNoneMatch,
      ifModifiedSince: request.ifModifiedSince,
      ifNoneExist: request.ifNoneExist,
    },
  };
}

/** A JSON Patch travels in a transaction as a Binary (R4 http.html#patch). */
function decodeBinaryPatch(resource: Resource): unknown {
  const data = (resource as { data?: string }).data;
  try {
    return JSON.parse(Buffer.from(data ?? '', 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
}

function responseEntry(ctx: FhirContext, response: FhirResponse): BundleEntry {
  const status = `${response.status}`;
  const result: BundleEntryResponse = { status };
  if (response.headers?.Location) result.location = response.headers.Location;
  if (response.headers?.ETag) result.etag = response.headers.ETag;
  if (response.headers?.['Last-Modified']) result.lastModified = new Date(response.headers['Last-Modified']).toISOString();
  const entry: BundleEntry = { response: result };
  const resource = response.resource;
  if (resource?.resourceType === 'OperationOutcome') result.outcome = resource;
  else if (resource) {
    entry.resource = resource;
    if (resource.id) entry.fullUrl = `${ctx.baseUrl}/${resource.resourceType}/${resource.id}`;
  }
  return entry;
}

function inEntry(err: FhirError, index: number): FhirError {
  const issue = err.outcome.issue[0];
  const text = `Transaction failed at Bundle.entry[${index}]: ${issue?.diagnostics ?? 'error'}`;
  return new FhirError(err.status, outcome(issue?.severity ?? 'error', issue?.code ?? 'processing', text, `Bundle.entry[${index}]`));
}

function firstDuplicate(entries: BundleEntry[]): string | undefined {
  const seen = new Set<string>();
  for (const e of entries) {
    if (!e?.fullUrl) continue;
    if (seen.has(e.fullUrl)) return e.fullUrl;
    seen.add(e.fullUrl);
  }
  return undefined;
}
