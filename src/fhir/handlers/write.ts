import type { Resource } from 'fhir/r4.js';
import { VersionConflictError, type WriteOptions } from '../../storage/repository.js';
import { preferences, type FhirContext, type FhirRequest, type FhirResponse } from '../fhir-request.js';
import { allOk, badRequest, conflict, preconditionFailed } from '../outcomes.js';
import { checkId, checkResourceBody, withoutServerMeta } from '../resource-rules.js';
import { writeResponse } from '../versioned-response.js';
import { conditionalLock, findMatches, ifNoneExistCriteria } from './conditional.js';
import { normalizeEtag } from './read.js';
import { requireCurrentVisible, requirePermission, requireVisible } from '../access-policy.js';
import { enforceOnWrite } from '../profile-enforcement.js';

/** create: POST [type], and conditional create with If-None-Exist (R4 http.html#create, #ccreate). */
export async function create(ctx: FhirContext, req: FhirRequest, type: string): Promise<FhirResponse> {
  const resource = checkResourceBody(req.body, type, ctx.resourceTypes);
  requirePermission(ctx, type, 'c');
  enforceOnWrite(ctx.validator, resource);
  const prefer = preferences(req.headers.prefer);
  const criteria = req.headers.ifNoneExist;
  if (!criteria) {
    return ctx.repo.transaction(async (repo) => {
      const scoped = { ...ctx, repo };
      const version = await repo.create({ ...withoutServerMeta(resource), id: req.assignedId ?? ctx.newId() });
      await requireVisible(scoped, type, version.id, 'c'); // e.g. a patient/ token creating for another patient
      return writeResponse(scoped, 201, version, prefer);
    });
  }
  return ctx.repo.transaction(
    async (repo) => {
      const scoped = { ...ctx, repo };
      const matches = await findMatches(scoped, type, ifNoneExistCriteria(criteria, type));
      if (matches.length > 1) throw preconditionFailed(`If-None-Exist matched ${matches.length} ${type} resources; the criteria must select one`);
      if (matches.length === 1) {
        // The existing resource answers the request: 200 and its location (R4 http.html#ccreate).
        const current = (await repo.readCurrent(type, matches[0].id))!;
        return writeResponse(scoped, 200, current, prefer);
      }
      const version = await repo.create({ ...withoutServerMeta(resource), id: req.assignedId ?? ctx.newId() });
      await requireVisible(scoped, type, version.id, 'c');
      return writeResponse(scoped, 201, version, prefer);
    },
    [conditionalLock(type, ifNoneExistCriteria(criteria, type))],
  );
}

/** update: PUT [type]/[id], creating the resource when it does not exist (R4 http.html#update, #upsert). */
export async function update(ctx: FhirContext, req: FhirRequest, type: string, id: string): Promise<FhirResponse> {
  checkId(id);
  const resource = checkResourceBody(req.body, type, ctx.resourceTypes);
  if (resource.id === undefined) throw badRequest(`The ${type} in the body must carry its id (${id})`, `${type}.id`);
  if (resource.id !== id) throw badRequest(`The id in the body (${resource.id}) does not match the URL (${id})`, `${type}.id`);
  return saveUpdate(ctx, req, { ...withoutServerMeta(resource), id });
}

/** conditional update: PUT [type]?criteria (R4 http.html#cond-update). */
export async function conditionalUpdate(ctx: FhirContext, req: FhirRequest, type: string, criteria: string): Promise<FhirResponse> {
  const resource = checkResourceBody(req.body, type, ctx.resourceTypes);
  return ctx.repo.transaction(
    async (repo) => {
      const scoped = { ...ctx, repo };
      const matches = await findMatches(scoped, type, criteria);
      if (matches.length > 1) throw preconditionFailed(`The criteria matched ${matches.length} ${type} resources; they must select one`);
      if (matches.length === 1) {
        if (resource.id !== undefined && resource.id !== matches[0].id) {
          throw badRequest(`The id in the body (${resource.id}) is not the id of the matching resource (${matches[0].id})`, `${type}.id`);
        }
        return saveUpdate(scoped, req, { ...withoutServerMeta(resource), id: matches[0].id });
      }
      if (resource.id !== undefined && (await repo.readCurrent(type, resource.id))?.deleted === false) {
        // R4 leaves this open; R5 settles it (http.html#cond-update): the criteria chose no resource, so the body may
        // not overwrite the one its id names.
        throw conflict(`No ${type} matched the criteria, and ${type}/${resource.id} exists: it is not the resource the criteria select`);
      }
      const id = resource.id ?? req.assignedId ?? ctx.newId();
      return saveUpdate(scoped, req, { ...withoutServerMeta(resource), id });
    },
    [conditionalLock(type, criteria)],
  );
}

export async function saveUpdate(ctx: FhirContext, req: FhirRequest, resource: Resource & { id: string }): Promise<FhirResponse> {
  const type = resource.resourceType;
  requirePermission(ctx, type, 'u');
  enforceOnWrite(ctx.validator, resource);
  return ctx.repo.transaction(async (repo) => {
    const scoped = { ...ctx, repo };
    // The resource as it was and as it will be must both be within the caller's reach.
    await requireCurrentVisible(scoped, type, resource.id, 'u');
    const { version, created } = await withVersionCheck(() => repo.update(resource, expected(req)));
    await requireVisible(scoped, type, resource.id, created ? 'c' : 'u');
    return writeResponse(scoped, created ? 201 : 200, version, preferences(req.headers.prefer));
  });
}

/** delete: DELETE [type]/[id] (R4 http.html#delete): idempotent, and history is kept. */
export async function remove(ctx: FhirContext, req: FhirRequest, type: string, id: string): Promise<FhirResponse> {
  checkId(id);
  requirePermission(ctx, type, 'd');
  const version = await ctx.repo.transaction(async (repo) => {
    await requireCurrentVisible({ ...ctx, repo }, type, id, 'd');
    return withVersionCheck(() => repo.delete(type, id, expected(req)));
  });
  const headers = version ? { ETag: `W/"${version.versionId}"` } : undefined;
  if (preferences(req.headers.prefer).return === 'minimal') return { status: 204, headers };
  return { status: 200, headers, resource: allOk(version ? `Deleted ${type}/${id}` : `${type}/${id} did not exist or was already deleted`) };
}

/** conditional delete: DELETE [type]?criteria, one match at most (R4 http.html#cdelete). */
export async function conditionalDelete(ctx: FhirContext, req: FhirRequest, type: string, criteria: string): Promise<FhirResponse> {
  return ctx.repo.transaction(
    async (repo) => {
      const scoped = { ...ctx, repo };
      const matches = await findMatches(scoped, type, criteria);
      if (matches.length > 1) throw preconditionFailed(`The criteria matched ${matches.length} ${type} resources; conditional delete removes one`);
      if (!matches.length) return { status: 200, resource: allOk(`No ${type} matched; nothing was deleted`) };
      return remove(scoped, req, type, matches[0].id);
    },
    [conditionalLock(type, criteria)],
  );
}

/** If-Match as write options: a list of ETags, one of which must be current, or `*` (RFC 9110 section 13.1.1). */
export function expected(req: FhirRequest): WriteOptions {
  const ifMatch = req.headers.ifMatch;
  return ifMatch ? { expectedVersions: ifMatch.split(',').map((tag) => (tag.trim() === '*' ? '*' : normalizeEtag(tag))) } : {};
}

/** Turns a storage version conflict into the 412 of R4 http.html#concurrency. */
export async function withVersionCheck<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (err instanceof VersionConflictError) {
      throw preconditionFailed(
        err.currentVersion
          ? `Version conflict: the resource is at version ${err.currentVersion}, not the version given in If-Match`
          : 'Version conflict: the resource does not exist (or was deleted), so If-Match cannot match',
      );
    }
    throw err;
  }
}
