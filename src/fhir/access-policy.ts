import type { Resource } from 'fhir/r4.js';
import type { Condition } from '../storage/search-query.js';
import type { Permission, ScopeGrant } from './access-context.js';
import { inPatientCompartment, patientCompartmentParams } from './compartment.js';
import type { FhirContext } from './fhir-request.js';
import { forbidden } from './outcomes.js';
import { parseSearch } from './search/parse-search.js';

/** What a caller may see of a resource type: everything, nothing, or what matches a condition. */
export type Restriction = { kind: 'unrestricted' } | { kind: 'denied' } | { kind: 'restricted'; condition: Condition };

const UNRESTRICTED: Restriction = { kind: 'unrestricted' };
const DENIED: Restriction = { kind: 'denied' };

/**
 * The one place access is decided (SMART App Launch 2.x scopes-and-launch-context.html). A request without an access
 * context is the server's own (demo loading, internal work) and is unrestricted. Otherwise the grants for the type and
 * permission are combined, least restrictive first: a `user/` or `system/` grant without a query sees every resource
 * of the type; a `patient/` grant sees the launch patient's compartment; a granular grant (`?category=…`) adds its
 * search criteria.
 */
export function restriction(ctx: FhirContext, type: string, permission: Permission): Restriction {
  const access = ctx.access;
  if (!access) return UNRESTRICTED;
  const conditions: Condition[] = [];
  for (const grant of access.grants) {
    if ((grant.resourceType !== '*' && grant.resourceType !== type) || !grant.permissions.has(permission)) continue;
    const parts = grantConditions(ctx, grant, type, access.patient);
    if (parts === undefined) continue;
    if (!parts.length) return UNRESTRICTED;
    conditions.push(parts.length === 1 ? parts[0] : { kind: 'all', conditions: parts });
  }
  if (!conditions.length) return DENIED;
  return { kind: 'restricted', condition: conditions.length === 1 ? conditions[0] : { kind: 'any', conditions } };
}

/** The conditions one grant imposes on a type, or undefined when the grant cannot apply (no launch patient). */
function grantConditions(ctx: FhirContext, grant: ScopeGrant, type: string, patient: string | undefined): Condition[] | undefined {
  const parts: Condition[] = [];
  if (grant.level === 'patient') {
    if (!patient) return undefined;
    // Types outside the Patient compartment (Practitioner, Organization, Medication…) are shared, not patient data.
    if (type === 'Patient' || patientCompartmentParams()[type]) parts.push(inPatientCompartment(patient, [type]));
  }
  if (grant.query?.length) {
    const parsed = parseSearch([type], grant.query, {
      registry: ctx.searchParameters,
    terminology: ctx.terminology,
      baseUrl: ctx.baseUrl,
      strict: true,
      defaultCount: 1,
      maxCount: 1,
    });
    parts.push(...parsed.query.conditions);
  }
  return parts;
}

/** Throws 403 unless the caller holds some grant of `permission` on `type`; returns the restriction. */
export function requirePermission(ctx: FhirContext, type: string, permission: Permission): Restriction {
  const r = restriction(ctx, type, permission);
  if (r.kind === 'denied') throw forbidden(`The access token grants no '${PERMISSION_NAMES[permission]}' access to ${type}`);
  return r;
}

/** The ids among `ids` (all of one type) that the caller may access with `permission`. */
export async function visibleIds(ctx: FhirContext, type: string, ids: string[], permission: Permission): Promise<Set<string>> {
  const r = restriction(ctx, type, permission);
  if (r.kind === 'unrestricted' || !ids.length) return new Set(r.kind === 'unrestricted' ? ids : []);
  if (r.kind === 'denied') return new Set();
  const page = await ctx.repo.search({
    types: [type],
    conditions: [{ kind: 'id', values: ids }, r.condition],
    sort: [],
    count: ids.length,
    total: 'none',
  });
  return new Set(page.resources.map((res) => res.id!));
}

/**
 * Throws 403 unless the caller may access this resource, as it is stored now, with `permission`. Reads it only when
 * the caller's access to the type is restricted: otherwise there is nothing to check, and a write saves a statement.
 */
export async function requireCurrentVisible(ctx: FhirContext, type: string, id: string, permission: Permission): Promise<void> {
  if (restriction(ctx, type, permission).kind === 'unrestricted') return;
  const current = await ctx.repo.readCurrent(type, id);
  if (current && !current.deleted) await requireVisible(ctx, type, id, permission);
}

/** Throws 403 unless the caller may access this resource with `permission`. */
export async function requireVisible(ctx: FhirContext, type: string, id: string, permission: Permission): Promise<void> {
  requirePermission(ctx, type, permission);
  if (!(await visibleIds(ctx, type, [id], permission)).has(id)) {
    throw forbidden(`The access token does not grant '${PERMISSION_NAMES[permission]}' access to ${type}/${id}`);
  }
}

/** Keeps the resources the caller may read (used for includes, history and $everything). */
export async function filterVisible<T extends Resource>(ctx: FhirContext, resources: T[], permission: Permission): Promise<T[]> {
  if (!ctx.access) return resources;
  const byType = new Map<string, string[]>();
  for (const r of resources) byType.set(r.resourceType, [...(byType.get(r.resourceType) ?? []), r.id!]);
  const allowed = new Set<string>();
  for (const [type, ids] of byType) {
    for (const id of await visibleIds(ctx, type, [...new Set(ids)], permission)) allowed.add(`${type}/${id}`);
  }
  return resources.filter((r) => allowed.has(`${r.resourceType}/${r.id}`));
}

/** The search conditions a restriction adds for a set of types (system-level searches combine them per type). */
export function searchRestriction(ctx: FhirContext, types: string[], permission: Permission): { types: string[]; condition?: Condition } {
  if (!ctx.access) return { types };
  const perType = types.map((type) => ({ type, r: restriction(ctx, type, permission) }));
  const allowed = perType.filter((t) => t.r.kind !== 'denied');
  if (!allowed.length) throw forbidden(`The access token grants no search access to ${types.length === 1 ? types[0] : 'these resource types'}`);
  if (allowed.every((t) => t.r.kind === 'unrestricted')) return { types: allowed.map((t) => t.type) };
  const branches: Condition[] = allowed.map(({ type, r }) =>
    r.kind === 'restricted' ? { kind: 'all', conditions: [{ kind: 'type', type }, r.condition] } : { kind: 'type', type },
  );
  return { types: allowed.map((t) => t.type), condition: branches.length === 1 ? branches[0] : { kind: 'any', conditions: branches } };
}

const PERMISSION_NAMES: Record<Permission, string> = { c: 'create', r: 'read', u: 'update', d: 'delete', s: 'search' };
