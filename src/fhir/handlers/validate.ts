import type { OperationOutcome, Parameters, Resource } from 'fhir/r4.js';
import type { FhirContext, FhirRequest, FhirResponse } from '../fhir-request.js';
import { allOk, badRequest, notSupported } from '../outcomes.js';
import { profilesToEnforce } from '../profile-enforcement.js';
import { checkId } from '../resource-rules.js';
import { requirePermission } from '../access-policy.js';

/**
 * $validate at system, type and instance level (R4 resource-operation-validate.html): the body is a Parameters
 * (`resource`, `profile`, `mode`) or the bare resource with `?profile=`. The answer is 200 with the
 * OperationOutcome whatever it finds; a 4xx means the request itself was wrong.
 */
export async function validate(ctx: FhirContext, req: FhirRequest, type?: string, id?: string): Promise<FhirResponse> {
  if (!ctx.validator) throw notSupported('$validate is not available on this server');
  if (id) checkId(id);
  const input = validateInput(req);
  if (input.mode === 'delete') {
    if (!type || !id) throw badRequest('mode=delete validates the deletion of an existing resource: use [type]/[id]/$validate');
    requirePermission(ctx, type, 'd');
    return { status: 200, resource: allOk(`${type}/${id} may be deleted`) };
  }
  const resource = input.resource;
  if (!resource || typeof resource !== 'object' || Array.isArray(resource)) throw badRequest('$validate needs the resource to validate');
  const resourceType = (resource as Resource).resourceType;
  if (type && resourceType !== type) throw badRequest(`The resource is a ${String(resourceType)}, not a ${type}`, 'resourceType');
  if (input.mode === 'update' && id && (resource as Resource).id !== id) {
    throw badRequest(`mode=update: the resource id (${String((resource as Resource).id)}) must be ${id}`, `${type}.id`);
  }
  if (typeof resourceType === 'string' && ctx.resourceTypes.has(resourceType)) requirePermission(ctx, resourceType, 'r');
  const profiles = [...new Set([...input.profiles, ...(typeof resourceType === 'string' ? profilesToEnforce(resource as Resource) : [])])];
  const outcome: OperationOutcome = ctx.validator.validate(resource, { profiles });
  return { status: 200, resource: outcome.issue.length ? outcome : allOk('No issues: the resource is valid') };
}

function validateInput(req: FhirRequest): { resource?: unknown; profiles: string[]; mode?: string } {
  const queryProfiles = req.query.filter(([k]) => k === 'profile').map(([, v]) => v);
  const queryMode = req.query.find(([k]) => k === 'mode')?.[1];
  const body = req.body as Partial<Parameters> | undefined;
  if (body?.resourceType === 'Parameters') {
    const params = body.parameter ?? [];
    const profiles = params.filter((p) => p.name === 'profile').map((p) => p.valueUri ?? p.valueCanonical ?? '').filter(Boolean);
    const mode = params.find((p) => p.name === 'mode')?.valueCode ?? queryMode;
    checkMode(mode);
    return { resource: params.find((p) => p.name === 'resource')?.resource, profiles: [...profiles, ...queryProfiles], mode };
  }
  checkMode(queryMode);
  return { resource: req.body, profiles: queryProfiles, mode: queryMode };
}

function checkMode(mode: string | undefined): void {
  if (mode !== undefined && !['create', 'update', 'delete', 'profile'].includes(mode)) {
    throw badRequest(`mode must be create, update, delete or profile, not '${mode}'`, 'mode');
  }
}
