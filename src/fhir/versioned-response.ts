import type { Resource } from 'fhir/r4.js';
import type { StoredVersion } from '../storage/repository.js';
import type { FhirContext, FhirResponse, Preference } from './fhir-request.js';
import { allOk } from './outcomes.js';

/** ETag and Last-Modified of a version (R4 http.html#versioning). */
export function versionHeaders(version: StoredVersion): Record<string, string> {
  return { ETag: `W/"${version.versionId}"`, 'Last-Modified': new Date(version.lastUpdated).toUTCString() };
}

/**
 * The response to a write, honouring `Prefer: return=` (R4 http.html#ops), with the Location of the version written:
 * required of a create, and what a transaction-response entry reports of every write.
 */
export function writeResponse(ctx: FhirContext, status: number, version: StoredVersion, prefer: Preference): FhirResponse {
  const headers = versionHeaders(version);
  headers.Location = `${ctx.baseUrl}/${version.resourceType}/${version.id}/_history/${version.versionId}`;
  if (prefer.return === 'minimal') return { status, headers };
  if (prefer.return === 'OperationOutcome') return { status, headers, resource: allOk(`${version.resourceType}/${version.id} version ${version.versionId} saved`) };
  return { status, headers, resource: version.resource as Resource };
}
