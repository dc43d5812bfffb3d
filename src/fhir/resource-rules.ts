import type { Resource } from 'fhir/r4.js';
import { badRequest, notFound } from './outcomes.js';

export const ID_PATTERN = /^[A-Za-z0-9\-.]{1,64}$/;

export function checkType(type: string, resourceTypes: ReadonlySet<string>): void {
  if (!resourceTypes.has(type)) throw notFound(`Unknown resource type '${type}'`);
}

export function checkId(id: string): void {
  if (!ID_PATTERN.test(id)) throw badRequest(`Invalid id '${id}': 1-64 characters of A-Z, a-z, 0-9, '-' and '.'`);
}

/**
 * The checks every written resource passes before anything else looks at it (R4 http.html#create, #update):
 * a JSON object of the type the URL names, with a valid id where one is required.
 */
export function checkResourceBody(body: unknown, type: string, resourceTypes: ReadonlySet<string>): Resource {
  if (body === undefined || body === null) throw badRequest(`A ${type} resource is required in the request body`);
  if (typeof body !== 'object' || Array.isArray(body)) throw badRequest('The request body must be a JSON object (a FHIR resource)');
  const resource = body as Partial<Resource>;
  if (typeof resource.resourceType !== 'string') throw badRequest('The resource has no resourceType', 'resourceType');
  if (!resourceTypes.has(resource.resourceType)) throw badRequest(`Unknown resourceType '${resource.resourceType}'`, 'resourceType');
  if (resource.resourceType !== type) {
    throw badRequest(`The resource is a ${resource.resourceType} but the URL is for ${type}`, 'resourceType');
  }
  if (resource.id !== undefined && (typeof resource.id !== 'string' || !ID_PATTERN.test(resource.id))) {
    throw badRequest(`Invalid id '${String(resource.id)}'`, `${type}.id`);
  }
  if (resource.meta !== undefined && (typeof resource.meta !== 'object' || resource.meta === null || Array.isArray(resource.meta))) {
    throw badRequest('meta must be an object', `${type}.meta`);
  }
  return resource as Resource;
}

/** With the u flag, a surrogate pair reads as one character: only an unpaired half matches. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Refuses text that no FHIR format or store can hold: a NUL character (XML and PostgreSQL refuse it) or half of a
 * UTF-16 surrogate pair (not Unicode, so it has no UTF-8 form). `where` starts the message ("The body").
 */
export function checkText(text: string, where: string): void {
  if (text.includes('\0')) throw badRequest(`${where} holds a NUL character (\\u0000), which FHIR text cannot contain`);
  if (LONE_SURROGATE.test(text)) throw badRequest(`${where} holds an unpaired UTF-16 surrogate, which is not a Unicode character`);
}

/** Copies a resource for storage without the server-managed meta fields the client may have sent. */
export function withoutServerMeta<T extends Resource>(resource: T): T {
  if (!resource.meta) return resource;
  const { versionId: _v, lastUpdated: _l, ...meta } = resource.meta;
  return { ...resource, meta: Object.keys(meta).length ? meta : undefined } as T;
}
