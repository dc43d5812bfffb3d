/**
 * What an authorized caller may do, as a plain value: the authorization layer builds it from a token, the FHIR layer
 * enforces it. The FHIR layer never sees tokens or OAuth; the authorization layer never sees FHIR handlers.
 */
export type ScopeLevel = 'patient' | 'user' | 'system';

/** SMART v2 permissions (SMART App Launch 2.x scopes-and-launch-context.html); v1 `read` = rs, `write` = cud. */
export type Permission = 'c' | 'r' | 'u' | 'd' | 's';

export interface ScopeGrant {
  level: ScopeLevel;
  /** A resource type, or '*' for all. */
  resourceType: string;
  permissions: ReadonlySet<Permission>;
  /** Granular v2 scopes: search parameters the resource must also match, e.g. [['category', 'laboratory']]. */
  query?: [string, string][];
}

export interface AccessContext {
  clientId: string;
  /** The token subject (a person's account, or the client for backend services). */
  subject?: string;
  /** The scopes granted, as the token carries them (for audit and introspection). */
  scope: string;
  grants: ScopeGrant[];
  /** The launch patient: `patient/` grants are confined to this patient's compartment. */
  patient?: string;
  /** The signed-in user, e.g. 'Practitioner/123'. */
  fhirUser?: string;
}
