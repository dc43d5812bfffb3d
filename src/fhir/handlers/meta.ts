import type { Coding, Meta, Parameters, Resource } from 'fhir/r4.js';
import type { StoredVersion } from '../../storage/repository.js';
import { checkExpectedVersion, resourceLock } from '../../storage/repository.js';
import type { FhirContext, FhirRequest, FhirResponse } from '../fhir-request.js';
import { badRequest, forbidden, gone, notFound } from '../outcomes.js';
import { checkId } from '../resource-rules.js';
import { withVersionCheck, expected } from './write.js';
import { requireVisible, restriction } from '../access-policy.js';
import { checkWellFormed, enforceOnWrite, type ResourceValidator } from '../profile-enforcement.js';

/**
 * $meta (R4 resource-operation-meta.html): the profiles, tags and security labels of a resource or one of its
 * versions; at type and system level, those in use on the current resources of the type or of the server.
 */
export async function metaRead(ctx: FhirContext, type?: string, id?: string, versionId?: string): Promise<FhirResponse> {
  if (type && id) {
    const version = await storedVersion(ctx, type, id, versionId);
    await requireVisible(ctx, type, id, 'r');
    return { status: 200, resource: metaParameters(version.resource!.meta ?? {}) };
  }
  // What is in use across resources is told only to a caller who may read them all.
  for (const t of type ? [type] : ctx.resourceTypes) {
    if (restriction(ctx, t, 'r').kind !== 'unrestricted') throw forbidden(`$meta across ${type ?? 'the server'} needs read access to every ${type ?? 'resource'}`);
  }
  const inUse = await ctx.repo.metaInUse(type);
  const meta: Meta = { lastUpdated: inUse.lastUpdated ?? new Date().toISOString() };
  if (inUse.profiles.length) meta.profile = inUse.profiles;
  if (inUse.security.length) meta.security = inUse.security;
  if (inUse.tags.length) meta.tag = inUse.tags;
  return { status: 200, resource: metaParameters(meta) };
}

/**
 * $meta-add and $meta-delete (R4 resource-operation-meta-add.html, -delete.html): change the profiles, tags and
 * security labels of a resource, or of one of its versions, in place: "This operation does not cause a new version
 * of the resource to be created".
 */
export async function metaChange(
  ctx: FhirContext,
  req: FhirRequest,
  type: string,
  id: string,
  mode: 'add' | 'delete',
  versionId?: string,
): Promise<FhirResponse> {
  const input = metaInput(ctx.validator, req.body);
  // Locked before the read: a write between the read and the change would be lost.
  return ctx.repo.transaction(
    async (repo) => {
      const scoped = { ...ctx, repo };
      const current = await storedVersion(scoped, type, id);
      const version = versionId === undefined ? current : await storedVersion(scoped, type, id, versionId);
      await requireVisible(scoped, type, id, 'u');
      await withVersionCheck(async () => checkExpectedVersion(expected(req), current.versionId));
      const meta: Meta = { ...(version.resource!.meta ?? {}) };
      const same = (a: Coding, b: Coding) => a.system === b.system && a.code === b.code;
      const edit = (list: Coding[] | undefined, changes: Coding[] | undefined) => {
        if (!changes?.length) return list;
        const kept = (list ?? []).filter((c) => !changes.some((x) => same(c, x)));
        // Each coding once, even when the input repeats it.
        return mode === 'add' ? [...kept, ...changes.filter((c, i) => changes.findIndex((x) => same(c, x)) === i)] : kept;
      };
      meta.tag = edit(meta.tag, input.tag);
      meta.security = edit(meta.security, input.security);
      if (input.profile?.length) {
        const kept = (meta.profile ?? []).filter((p) => !input.profile!.includes(p));
        meta.profile = mode === 'add' ? [...kept, ...new Set(input.profile)] : kept;
      }
      for (const key of ['tag', 'security', 'profile'] as const) if (!meta[key]?.length) delete meta[key];
      const changed = { ...version.resource!, meta, id } as Resource & { id: string };
      // The current version stays true to a guide profile it now claims; past versions are kept as they were written.
      if (version.versionId === current.versionId) enforceOnWrite(ctx.validator, changed);
      const rewritten = await repo.rewriteVersion(changed, version.versionId);
      return { status: 200, resource: metaParameters(rewritten.resource!.meta ?? {}) };
    },
    [resourceLock(type, id)],
  );
}

/** The current version of a resource, or the one named: 404 when unknown, 410 when deleted. */
async function storedVersion(ctx: FhirContext, type: string, id: string, versionId?: string): Promise<StoredVersion> {
  checkId(id);
  const version = versionId === undefined ? await ctx.repo.readCurrent(type, id) : await ctx.repo.readVersion(type, id, versionId);
  if (!version) throw notFound(`${type}/${id}${versionId ? ` version ${versionId}` : ''} is not known`);
  if (version.deleted || !version.resource) throw gone(`${type}/${id}${versionId ? ` version ${versionId}` : ''} is a deletion`);
  return version;
}

function metaInput(validator: ResourceValidator | undefined, body: unknown): Meta {
  const params = body as Partial<Parameters> | undefined;
  const missing = () => badRequest('Expected a Parameters resource with a parameter "meta" (valueMeta)');
  if (params?.resourceType !== 'Parameters') throw missing();
  // Before its Meta is merged: a tag given as a string would be spread into its characters.
  checkWellFormed(validator, params as Parameters);
  const meta = params.parameter?.find((p) => p.name === 'meta')?.valueMeta;
  if (!meta) throw missing();
  return meta;
}

/** A resource's Meta is never empty: it carries at least its versionId and lastUpdated. */
function metaParameters(meta: Meta): Parameters {
  return { resourceType: 'Parameters', parameter: [{ name: 'return', valueMeta: meta }] };
}
