import type { StoredVersion } from '../../storage/repository.js';
import { attachResourceOf } from '../../storage/stored-resource.js';
import type { FhirContext, FhirRequest, FhirResponse } from '../fhir-request.js';
import { gone, notFound } from '../outcomes.js';
import { checkId } from '../resource-rules.js';
import { versionHeaders } from '../versioned-response.js';
import { requirePermission, requireVisible } from '../access-policy.js';

/** read: GET [type]/[id] (R4 http.html#read); 410 for a deleted resource, 304 for a matching conditional read. */
export async function read(ctx: FhirContext, req: FhirRequest, type: string, id: string): Promise<FhirResponse> {
  checkId(id);
  requirePermission(ctx, type, 'r');
  const current = await ctx.repo.readCurrent(type, id);
  if (!current) throw notFound(`${type}/${id} is not known`);
  if (current.deleted) throw gone(`${type}/${id} was deleted`);
  await requireVisible(ctx, type, id, 'r');
  return conditionalRead(req, current);
}

/** vread: GET [type]/[id]/_history/[vid] (R4 http.html#vread). */
export async function vread(ctx: FhirContext, req: FhirRequest, type: string, id: string, versionId: string): Promise<FhirResponse> {
  checkId(id);
  requirePermission(ctx, type, 'r');
  const version = await ctx.repo.readVersion(type, id, versionId);
  if (!version) {
    const exists = await ctx.repo.readCurrent(type, id);
    throw notFound(exists ? `${type}/${id} has no version ${versionId}` : `${type}/${id} is not known`);
  }
  if (version.deleted) throw gone(`${type}/${id} version ${versionId} is a deletion`);
  await requireVisible(ctx, type, id, 'r');
  return conditionalRead(req, version);
}

/** If-None-Match and If-Modified-Since (R4 http.html#cread): 304 when the client's copy is current. */
function conditionalRead(req: FhirRequest, version: StoredVersion): FhirResponse {
  const headers = versionHeaders(version);
  const etag = headers.ETag;
  const { ifNoneMatch, ifModifiedSince } = req.headers;
  if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => normalizeEtag(tag) === normalizeEtag(etag) || tag.trim() === '*')) {
    return { status: 304, headers };
  }
  if (ifModifiedSince && !ifNoneMatch) {
    const since = Date.parse(ifModifiedSince);
    // HTTP dates have second precision: compare at that precision.
    if (!Number.isNaN(since) && Math.floor(Date.parse(version.lastUpdated) / 1000) <= Math.floor(since / 1000)) {
      return { status: 304, headers };
    }
  }
  return attachResourceOf({ status: 200, headers }, version);
}

/** `W/"3"`, `"3"` and `3` name the same version. */
export function normalizeEtag(tag: string): string {
  return tag.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
}
