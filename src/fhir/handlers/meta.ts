import type { Coding, Meta, Parameters, Resource } from 'fhir/r4.js';
import type { FhirContext, FhirRequest, FhirResponse } from '../fhir-request.js';
import { badRequest, gone, notFound } from '../outcomes.js';
import { checkId } from '../resource-rules.js';
import { withVersionCheck, expected } from './write.js';
import { resourceLock } from '../../storage/repository.js';
import { requireVisible } from '../access-policy.js';
import { checkWellFormed, enforceOnWrite, type ResourceValidator } from '../profile-enforcement.js';

/** $meta: the profiles, tags and security labels of a resource (R4 resource-operation-meta.html). */
export async function metaRead(ctx: FhirContext, type: string, id: string): Promise<FhirResponse> {
  const resource = await currentResource(ctx, type, id);
  await requireVisible(ctx, type, id, 'r');
  return { status: 200, resource: metaParameters(resource.meta) };
}

/**
 * $meta-add and $meta-delete (R4 resource-operation-meta-add.html, -delete.html): change profiles, tags and
 * security labels. These do not change the resource content, but are recorded as a new version so that every
 * change stays in the history.
 */
export async function metaChange(ctx: FhirContext, req: FhirRequest, type: string, id: string, mode: 'add' | 'delete'): Promise<FhirResponse> {
  const input = metaInput(ctx.validator, req.body);
  // Locked before the read: a write between the read and the update would be lost.
  return ctx.repo.transaction(
    async (repo) => {
      const resource = await currentResource({ ...ctx, repo }, type, id);
      await requireVisible({ ...ctx, repo }, type, id, 'u');
      const meta: Meta = { ...(resource.meta ?? {}) };
      const same = (a: Coding, b: Coding) => a.system === b.system && a.code === b.code;
      const edit = (list: Coding[] | undefined, changes: Coding[] | undefined) => {
        if (!changes?.length) return list;
        const kept = (list ?? []).filter((c) => !changes.some((x) => same(c, x)));
        return mode === 'add' ? [...kept, ...changes] : kept;
      };
      meta.tag = edit(meta.tag, input.tag);
      meta.security = edit(meta.security, input.security);
      if (input.profile?.length) {
        const kept = (meta.profile ?? []).filter((p) => !input.profile!.includes(p));
        meta.profile = mode === 'add' ? [...kept, ...input.profile] : kept;
      }
      for (const key of ['tag', 'security', 'profile'] as const) if (!meta[key]?.length) delete meta[key];
      const changed = { ...resource, meta, id } as Resource & { id: string };
      enforceOnWrite(ctx.validator, changed); // a write like any other: well-formed, and true to a guide profile it now claims
      const { version } = await withVersionCheck(() => repo.update(changed, expected(req)));
      return { status: 200, resource: metaParameters(version.resource!.meta) };
    },
    [resourceLock(type, id)],
  );
}

async function currentResource(ctx: FhirContext, type: string, id: string): Promise<Resource> {
  checkId(id);
  const current = await ctx.repo.readCurrent(type, id);
  if (!current) throw notFound(`${type}/${id} is not known`);
  if (!current.resource) throw gone(`${type}/${id} was deleted`);
  return current.resource;
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

function metaParameters(meta: Meta | undefined): Parameters {
  const { versionId: _v, lastUpdated: _l, ...rest } = meta ?? {};
  return { resourceType: 'Parameters', parameter: [{ name: 'return', valueMeta: rest }] };
}
