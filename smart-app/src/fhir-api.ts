/**
 * The app's only door to the FHIR server: standard R4 REST interactions (read, search, create, update with If-Match,
 * $validate), so the app works against any SMART R4 server. fhirclient keeps the token: before each request we ask it
 * to refresh when the access token is about to expire (it does so only with a refresh token, hence online_access).
 * Requests go through fetch rather than client.request because the app needs the status, the ETag and the
 * OperationOutcome of a refused write, which client.request folds into an error message.
 */
import type { Bundle, OperationOutcome, Resource } from 'fhir/r4.js';
import type Client from 'fhirclient/lib/Client';

export class FhirError extends Error {
  constructor(
    readonly status: number,
    readonly outcome: OperationOutcome | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** 412 on an update with If-Match: someone saved a newer version since we read ours. */
export class ConflictError extends FhirError {}

export class FhirApi {
  readonly base: string;

  constructor(private readonly client: Client) {
    this.base = String(client.state.serverUrl).replace(/\/+$/, '');
  }

  async read<T extends Resource>(type: T['resourceType'], id: string): Promise<T> {
    return (await this.send('GET', `${type}/${encodeURIComponent(id)}`)) as T;
  }

  /** A search that follows `next` links up to `maxPages`, returning the matched resources (and included ones). */
  async search<T extends Resource>(query: string, maxPages = 5): Promise<T[]> {
    const found: T[] = [];
    let url: string | undefined = query;
    for (let page = 0; url && page < maxPages; page++) {
      const bundle = (await this.send('GET', url)) as Bundle;
      for (const entry of bundle.entry ?? []) if (entry.resource) found.push(entry.resource as T);
      url = bundle.link?.find((l) => l.relation === 'next')?.url;
    }
    return found;
  }

  async create<T extends Resource>(resource: T): Promise<T> {
    return (await this.send('POST', resource.resourceType, resource)) as T;
  }

  /** Update guarded by the version we read (http.html#concurrency): a 412 becomes a ConflictError. */
  async update<T extends Resource>(resource: T): Promise<T> {
    const version = resource.meta?.versionId;
    const headers: Record<string, string> = version ? { 'if-match': `W/"${version}"` } : {};
    return (await this.send('PUT', `${resource.resourceType}/${resource.id}`, resource, headers)) as T;
  }

  /** POST [type]/$validate (resource-operation-validate): the outcome, whatever its severity. */
  async validate(resource: Resource, profile?: string): Promise<OperationOutcome> {
    const url = `${resource.resourceType}/$validate${profile ? `?profile=${encodeURIComponent(profile)}` : ''}`;
    try {
      return (await this.send('POST', url, resource)) as OperationOutcome;
    } catch (err) {
      // Servers answer 400/422 with the OperationOutcome when the resource is invalid.
      if (err instanceof FhirError && err.outcome) return err.outcome;
      throw err;
    }
  }

  async send(method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}, retried = false): Promise<unknown> {
    if (this.client.state.tokenResponse?.refresh_token) await this.client.refreshIfNeeded();
    const headers: Record<string, string> = { accept: 'application/fhir+json', ...extraHeaders };
    const auth = this.client.getAuthorizationHeader();
    if (auth) headers.authorization = auth;
    if (body !== undefined) headers['content-type'] = 'application/fhir+json';
    if (method !== 'GET') headers.prefer = 'return=representation';
    const url = /^https?:/.test(path) ? path : `${this.base}/${path}`;
    const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    // An access token revoked or expired early: one refresh and one retry, then give up.
    if (res.status === 401 && !retried && this.client.state.tokenResponse?.refresh_token) {
      await this.client.refresh();
      return this.send(method, path, body, extraHeaders, true);
    }
    const text = await res.text();
    const json = text ? safeJson(text) : undefined;
    if (!res.ok) {
      const outcome = isOutcome(json) ? json : undefined;
      const Err = res.status === 412 ? ConflictError : FhirError;
      throw new Err(res.status, outcome, outcome?.issue?.[0]?.details?.text ?? outcome?.issue?.[0]?.diagnostics ?? `${res.status} ${res.statusText}`);
    }
    // Some servers answer a write with no body: read the resource back from Location.
    if (json === undefined && method !== 'GET') {
      const location = res.headers.get('location') ?? res.headers.get('content-location');
      if (location) return this.send('GET', location.replace(/\/_history\/[^/]+$/, ''));
    }
    return json;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isOutcome(value: unknown): value is OperationOutcome {
  return typeof value === 'object' && value !== null && (value as Resource).resourceType === 'OperationOutcome';
}
