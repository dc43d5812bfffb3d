/**
 * SMART scope syntax (SMART App Launch 2.2 scopes-and-launch-context.html), parsed once for the server and the browser
 * app alike: no Node imports here. Only the contract types are imported (type-only, erased at compile time).
 */
import type { Permission, ScopeGrant, ScopeLevel } from '../fhir/access-context.js';

const LEVELS: readonly ScopeLevel[] = ['patient', 'user', 'system'];
const ORDER: readonly Permission[] = ['c', 'r', 'u', 'd', 's'];
/** SMART v1 suffixes and their v2 meaning (scopes-and-launch-context.html#scopes-for-requesting-fhir-resources). */
const V1: Record<string, Permission[]> = { read: ['r', 's'], write: ['c', 'u', 'd'], '*': ['c', 'r', 'u', 'd', 's'] };
const SCOPE = /^(patient|user|system)\/([A-Z][A-Za-z]*|\*)\.([a-z*]+)(\?(.*))?$/;

/** Non-resource scopes this server understands (launch context, identity, refresh). */
export const CONTEXT_SCOPES: readonly string[] = [
  'openid',
  'fhirUser',
  'profile',
  'launch',
  'launch/patient',
  'launch/encounter',
  'offline_access',
  'online_access',
];

/** Parses one resource scope; undefined when it is not one (or is malformed, e.g. `.sr` out of order). */
export function parseScope(scope: string): ScopeGrant | undefined {
  const match = SCOPE.exec(scope);
  if (!match) return undefined;
  const [, level, resourceType, suffix, , rawQuery] = match;
  const permissions = V1[suffix] ?? v2Permissions(suffix);
  if (!permissions) return undefined;
  const grant: ScopeGrant = { level: level as ScopeLevel, resourceType, permissions: new Set(permissions) };
  if (rawQuery !== undefined) {
    // Granular scopes (scopes-and-launch-context.html#finer-grained-resource-constraints-using-search-parameters)
    // exist only in v2 syntax.
    if (V1[suffix]) return undefined;
    const query = parseQuery(rawQuery);
    if (!query) return undefined;
    grant.query = query;
  }
  return grant;
}

/** The resource grants in a space-separated scope string; other scopes (openid, launch...) are left out. */
export function parseScopes(scope: string): ScopeGrant[] {
  return scope
    .split(' ')
    .filter(Boolean)
    .map(parseScope)
    .filter((g): g is ScopeGrant => g !== undefined);
}

/** Whether this server understands a scope: a well-formed resource scope or a known context scope. */
export function isKnownScope(scope: string): boolean {
  return CONTEXT_SCOPES.includes(scope) || parseScope(scope) !== undefined;
}

/** The level of a scope (`patient/...`), or undefined for non-resource scopes. */
export function scopeLevel(scope: string): ScopeLevel | undefined {
  return parseScope(scope)?.level;
}

/**
 * Whether `requested` asks for nothing beyond what `allowed` grants: same level, same or wildcard type, a subset of
 * permissions, and at least the allowed grant's query restrictions. Used for backend pre-authorization
 * (backend-services.html#evaluate-requested-access) and refresh narrowing.
 */
export function covers(allowed: ScopeGrant, requested: ScopeGrant): boolean {
  if (allowed.level !== requested.level) return false;
  if (allowed.resourceType !== '*' && allowed.resourceType !== requested.resourceType) return false;
  for (const p of requested.permissions) if (!allowed.permissions.has(p)) return false;
  for (const [name, value] of allowed.query ?? []) {
    if (!(requested.query ?? []).some(([n, v]) => n === name && v === value)) return false;
  }
  return true;
}

/** Whether a scope string (one scope) is covered by any of the allowed scopes. */
export function scopeAllowed(requested: string, allowed: readonly string[]): boolean {
  if (CONTEXT_SCOPES.includes(requested)) return allowed.includes(requested);
  const grant = parseScope(requested);
  if (!grant) return false;
  return allowed.some((a) => {
    const allowedGrant = parseScope(a);
    return allowedGrant !== undefined && covers(allowedGrant, grant);
  });
}

/** Renders permissions in SMART v2 order, e.g. `rs`. */
export function permissionString(permissions: ReadonlySet<Permission>): string {
  return ORDER.filter((p) => permissions.has(p)).join('');
}

function v2Permissions(suffix: string): Permission[] | undefined {
  // v2 requires the letters of c, r, u, d, s in that order, each at most once.
  let last = -1;
  const result: Permission[] = [];
  for (const ch of suffix) {
    const index = ORDER.indexOf(ch as Permission);
    if (index <= last) return undefined;
    last = index;
    result.push(ch as Permission);
  }
  return result.length ? result : undefined;
}

function parseQuery(raw: string): [string, string][] | undefined {
  if (raw === '') return undefined;
  const pairs: [string, string][] = [];
  for (const part of raw.split('&')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return undefined;
    try {
      pairs.push([decodeURIComponent(part.slice(0, eq)), decodeURIComponent(part.slice(eq + 1))]);
    } catch {
      return undefined;
    }
  }
  return pairs;
}

export { LEVELS as SCOPE_LEVELS };
