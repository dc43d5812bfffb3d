import type { Bundle, BundleEntry, BundleEntryResponse, Resource } from 'fhir/r4.js';
import type { FhirContext, FhirRequest, FhirResponse } from '../fhir-request.js';
import { FhirError, badRequest, conflict, outcome, preconditionFailed, tooLarge } from '../outcomes.js';
import { route } from '../router.js';
import { ID_PATTERN } from '../resource-rules.js';
import { conditionalLock, findMatches, ifNoneExistCriteria } from './conditional.js';
import { resourceLock } from '../../storage/repository.js';
import { coreElementTypes } from '../r4-definitions.js';
import { writeResponse } from '../versioned-response.js';
import { checkNoPlaceholders, conditionalReferences, rewriteLinks } from './bundle-links.js';

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
  checkEnvelope(bundle, entries);
  if (entries.length > ctx.settings.maxBundleEntries) {
    throw tooLarge(`The Bundle has ${entries.length} entries; at most ${ctx.settings.maxBundleEntries} are accepted`);
  }
  const requests = entries.map((entry, i) => entryRequest(entry, i));
  return bundle.type === 'batch' ? batch(ctx, requests) : transaction(ctx, entries, requests);
}

/**
 * The envelope's own properties are those R4 defines for Bundle and Bundle.entry, and a request carries no response
 * (bdl-4). Each entry's request and resource are checked when that entry runs, so that in a batch a bad one fails
 * alone.
 */
function checkEnvelope(bundle: Partial<Bundle>, entries: BundleEntry[]): void {
  const types = coreElementTypes();
  const unknown = (value: object, path: string) => Object.keys(value).find((key) => key !== 'resourceType' && !key.startsWith('_') && !types.get(`${path}.${key}`));
  const stray = unknown(bundle, 'Bundle');
  if (stray) throw badRequest(`Unrecognized property '${stray}' of the Bundle`, `Bundle.${stray}`);
  for (const [i, entry] of entries.entries()) {
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) throw badRequest(`Bundle.entry[${i}] must be an object`, `Bundle.entry[${i}]`);
    const property = unknown(entry, 'Bundle.entry');
    if (property) throw badRequest(`Unrecognized property '${property}' of Bundle.entry[${i}]`, `Bundle.entry[${i}].${property}`);
    if (entry.fullUrl !== undefined && typeof entry.fullUrl !== 'string') throw badRequest(`Bundle.entry[${i}].fullUrl must be a string`, `Bundle.entry[${i}].fullUrl`);
    if (entry.response !== undefined) throw badRequest(`Bundle.entry[${i}] has a response: a ${bundle.type} carries requests only (bdl-4)`, `Bundle.entry[${i}].response`);
  }
}

async function batch(ctx: FhirContext, requests: (FhirRequest | FhirError)[]): Promise<FhirResponse> {
  const responses: BundleEntry[] = [];
  for (const request of requests) {
    try {
      if (request instanceof FhirError) throw request;
      checkNoPlaceholders(request.body);
      responses.push(responseEntry(ctx, await route(ctx, request)));
    } catch (err) {
      if (!(err instanceof FhirError)) throw err;
      responses.push({ response: { status: String(err.status), outcome: err.outcome } });
    }
  }
  const bundle: Bundle = { resourceType: 'Bundle', type: 'batch-response' };
  if (responses.length) bundle.entry = responses;
  return { status: 200, resource: bundle };
}

async function transaction(ctx: FhirContext, entries: BundleEntry[], requests: (FhirRequest | FhirError)[]): Promise<FhirResponse> {
  const failed = requests.findIndex((r) => r instanceof FhirError);
  if (failed >= 0) throw inEntry(requests[failed] as FhirError, failed);
  const valid = requests as FhirRequest[];
  const duplicate = firstDuplicate(entries);
  if (duplicate) throw badRequest(`Two entries have the fullUrl ${duplicate}`, 'Bundle.entry.fullUrl');
  // Entries naming one resource twice fail before anything is locked; the claims of conditional entries are each
  // try's own (PostgreSQL runs a transaction again after a deadlock, and its conditional entries may then resolve
  // to other resources).
  const literalClaims = () => {
    const identities = new Identities();
    valid.forEach((request, i) => identities.claim(literalIdentity(request), i));
    return identities;
  };
  literalClaims();
  const references = conditionalReferences(entries);

  // Locks are taken in one order, the criteria of conditional entries and references first, then the resources, each
  // set sorted, as every conditional write takes them: transactions over the same resources queue, not deadlock.
  const conditional = new Map<string, number>();
  for (const [i, request] of valid.entries()) {
    const criteria = conditionalCriteria(request);
    if (!criteria) continue;
    const lock = conditionalLock(request.path, criteria);
    const other = conditional.get(lock);
    // Identical conditional creates write one resource; any other pair would write, or delete, the same one twice.
    if (other !== undefined && (request.method !== 'POST' || valid[other].method !== 'POST')) {
      throw inEntry(badRequest(`Bundle.entry[${other}] has the same criteria: a transaction may touch a resource once`), i);
    }
    conditional.set(lock, i);
  }
  const criteriaLocks = [...conditional.keys(), ...[...references.keys()].map((reference) => conditionalLock(...splitConditional(reference)))];
  return ctx.repo.transaction(async (repo) => {
    const identities = literalClaims();
    const matched = await conditionalWrites({ ...ctx, repo }, valid, identities);
    const literal = valid.map(literalIdentity).filter((identity): identity is [string, string] => identity !== undefined);
    const resourceLocks = [...literal, ...matched].map((identity) => resourceLock(...identity));
    return repo.transaction((locked) => run({ ...ctx, repo: locked }, entries, valid, identities, references), [...new Set(resourceLocks)].sort());
  }, criteriaLocks);
}

/**
 * The resources that conditional updates and deletes match before any entry runs, to be locked with the others; a
 * conditional delete's is its identity in the transaction.
 */
async function conditionalWrites(ctx: FhirContext, requests: FhirRequest[], identities: Identities): Promise<[string, string][]> {
  const matched: [string, string][] = [];
  for (const [i, request] of requests.entries()) {
    const criteria = request.method === 'POST' ? undefined : conditionalCriteria(request);
    if (!criteria) continue;
    const [match, more] = await findMatches(ctx, request.path, criteria).catch((err) => {
      throw err instanceof FhirError ? inEntry(err, i) : err;
    });
    if (!match || more) continue;
    matched.push([request.path, match.id]);
    if (request.method === 'DELETE') identities.claim([request.path, match.id], i);
  }
  return matched;
}

/** The entries in the order of R4 http.html#trules, under the transaction's locks. */
async function run(
  ctx: FhirContext,
  entries: BundleEntry[],
  requests: FhirRequest[],
  identities: Identities,
  references: Map<string, number>,
): Promise<FhirResponse> {
  const targets = new Map<string, string>();
  for (const [i, request] of requests.entries()) {
    const identity = literalIdentity(request);
    if (identity) mapFullUrl(targets, entries[i], identity.join('/'));
    if (request.method !== 'POST' || !isCreate(request) || request.headers.ifNoneExist) continue;
    request.assignedId = ctx.newId();
    mapFullUrl(targets, entries[i], `${request.path}/${request.assignedId}`);
  }
  const order = requests.map((_, i) => i).sort((a, b) => ORDER[requests[a].method] - ORDER[requests[b].method] || a - b);
  const results: BundleEntry[] = new Array(requests.length);
  let answered: Map<number, string> | undefined;
  for (const i of order) {
    const request = requests[i];
    // After the deletes and before the first create, what conditional entries and references designate is decided,
    // so that every reference can be rewritten before anything refers to it.
    if (!answered && ORDER[request.method] >= ORDER.POST) answered = await resolveConditionals(ctx, entries, requests, targets, identities, references);
    try {
      const earlier = answered?.get(i);
      const response = earlier
        ? writeResponse(ctx, 200, (await ctx.repo.readCurrent(request.path, earlier))!, {})
        : await route(ctx, { ...request, body: rewriteLinks(request.body, targets, baseOf(entries[i].fullUrl, ctx.baseUrl)) });
      if (request.assignedId && request.method !== 'DELETE' && locationOf(response) !== `${request.path}/${request.assignedId}`) {
        throw conflict('The conditional entry matched another resource once the transaction had created or changed resources');
      }
      results[i] = responseEntry(ctx, response);
    } catch (err) {
      throw err instanceof FhirError ? inEntry(err, i) : err;
    }
  }
  const bundle: Bundle = { resourceType: 'Bundle', type: 'transaction-response' };
  if (results.length) bundle.entry = results;
  return { status: 200, resource: bundle };
}

/**
 * The resources a transaction's entries designate, each at most once (R4 http.html#trules: "If any resource
 * identities (including resolved identities from conditional update/delete) overlap in steps 1-3, then the
 * transaction SHALL fail").
 */
class Identities {
  private readonly claimed = new Map<string, number>();

  claim(identity: [string, string] | undefined, entry: number): void {
    if (!identity) return;
    const key = identity.join('/');
    const other = this.claimed.get(key);
    if (other !== undefined) {
      throw inEntry(badRequest(`${key} is also the resource of Bundle.entry[${other}]: a transaction may touch a resource once`), entry);
    }
    this.claimed.set(key, entry);
  }
}

/** The resource a DELETE, PUT or PATCH names by type and id; reads are not counted. */
function literalIdentity(request: FhirRequest): [string, string] | undefined {
  if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'POST') return undefined;
  const parts = request.path.split('/');
  return parts.length === 2 && !parts[1].startsWith('$') ? [parts[0], parts[1]] : undefined;
}

/** The criteria of a conditional create (If-None-Exist), update or delete (`Type?criteria`). */
function conditionalCriteria(request: FhirRequest): string | undefined {
  if (request.method === 'POST') return isCreate(request) && request.headers.ifNoneExist ? ifNoneExistCriteria(request.headers.ifNoneExist, request.path) : undefined;
  if ((request.method === 'PUT' || request.method === 'DELETE') && isTypeLevel(request) && request.query.length) {
    return new URLSearchParams(request.query).toString();
  }
  return undefined;
}

const isTypeLevel = (request: FhirRequest) => /^[A-Z][A-Za-z]+$/.test(request.path);
const isCreate = (request: FhirRequest) => isTypeLevel(request) && request.body !== undefined;

/**
 * Decides the resources that conditional creates and updates will write, and that conditional references name, so
 * that `urn:uuid:` fullUrls and references such as `Patient?identifier=…` can be rewritten to `Type/id` throughout
 * the Bundle. Runs under the transaction's locks, after its deletes. Conditional creates with the same criteria
 * write one resource: the first creates it; the entries it answers for are returned, with the id they answer with.
 */
async function resolveConditionals(
  ctx: FhirContext,
  entries: BundleEntry[],
  requests: FhirRequest[],
  targets: Map<string, string>,
  identities: Identities,
  references: Map<string, number>,
): Promise<Map<number, string>> {
  const created = new Map<string, string>();
  const answered = new Map<number, string>();
  for (const [i, request] of requests.entries()) {
    const criteria = conditionalCriteria(request);
    if (!criteria || request.method === 'DELETE') continue;
    const [match, more] = await findMatches(ctx, request.path, criteria).catch((err) => {
      throw err instanceof FhirError ? inEntry(err, i) : err;
    });
    if (more) throw inEntry(preconditionFailed(`The criteria matched several ${request.path} resources; they must select one`), i);
    const lock = conditionalLock(request.path, criteria);
    const earlier = request.method === 'POST' && !match ? created.get(lock) : undefined;
    // A create's id is the server's to give; an update's is the body's, if it names one.
    const id = match?.id ?? earlier ?? (request.method === 'PUT' ? (request.body as Resource).id : undefined) ?? ctx.newId();
    if (earlier) answered.set(i, earlier);
    else if (request.method === 'PUT' || !match) identities.claim([request.path, id], i);
    if (request.method === 'POST' && !match && !earlier) created.set(lock, id);
    request.assignedId = id;
    mapFullUrl(targets, entries[i], `${request.path}/${id}`);
  }
  for (const [reference, i] of references) {
    const [type, criteria] = splitConditional(reference);
    const matches = await findMatches(ctx, type, criteria).catch((err) => {
      throw err instanceof FhirError ? inEntry(err, i) : err;
    });
    if (matches.length !== 1) {
      throw inEntry(preconditionFailed(`The conditional reference ${reference} matches ${matches.length} resources; it must match one`), i);
    }
    targets.set(reference, `${type}/${matches[0].id}`);
  }
  return answered;
}

/** `Patient?identifier=x` as its type and criteria. */
function splitConditional(reference: string): [string, string] {
  const q = reference.indexOf('?');
  return [reference.slice(0, q), reference.slice(q + 1)];
}

/** The base a relative reference in an entry resolves against (R4 bundle.html#references): its fullUrl's, or ours. */
function baseOf(fullUrl: string | undefined, serverBase: string): string {
  return /^(https?:\/\/.+)\/[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/.exec(fullUrl ?? '')?.[1] ?? serverBase;
}

function mapFullUrl(targets: Map<string, string>, entry: BundleEntry, target: string): void {
  if (entry.fullUrl) targets.set(entry.fullUrl, target);
}

/** `Type/id` of the resource a write answered with, from its Location. */
function locationOf(response: FhirResponse): string | undefined {
  return /([A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64})\/_history\//.exec(response.headers?.Location ?? '')?.[1];
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
  if (method === 'POST' && path === '') return badRequest(`${where}: a Bundle cannot hold a batch or transaction to run`, `${where}.request.url`);
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
  // meta.lastUpdated to the millisecond; the header has whole seconds.
  const lastUpdated = response.resource?.meta?.lastUpdated ?? response.headers?.['Last-Modified'];
  if (lastUpdated) result.lastModified = new Date(lastUpdated).toISOString();
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
