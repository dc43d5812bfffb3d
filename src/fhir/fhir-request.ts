import type { Resource } from 'fhir/r4.js';
import type { Repository } from '../storage/repository.js';
import type { AccessContext } from './access-context.js';
import type { AuditTrail } from './audit-trail.js';
import type { ConformanceSource } from './conformance.js';
import type { ResourceValidator } from './profile-enforcement.js';
import type { TerminologyService } from '../terminology/value-set-expander.js';
import type { SearchParameterRegistry } from './search/search-parameter-registry.js';

/** A FHIR interaction independent of HTTP frameworks: what express, batch entries and tests all hand the router. */
export interface FhirRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The path below the FHIR base, without leading slash: '', 'Patient', 'Patient/1/_history/2', '$meta'. */
  path: string;
  /** Query parameters in order, repeats kept. */
  query: [string, string][];
  /** The parsed JSON body, if any. */
  body?: unknown;
  /** The body's media type, without parameters. */
  contentType?: string;
  headers: RequestHeaders;
  /**
   * Set by transaction processing: the id a create, or a conditional update that matches nothing, must use (its
   * urn:uuid fullUrl was already mapped to it).
   */
  assignedId?: string;
}

export interface RequestHeaders {
  ifMatch?: string;
  ifNoneMatch?: string;
  ifModifiedSince?: string;
  ifNoneExist?: string;
  prefer?: string;
}

export interface FhirResponse {
  status: number;
  resource?: Resource;
  headers?: Record<string, string>;
}

/** What handlers need: storage, definitions and settings. Passed in, never read from globals. */
export interface FhirContext {
  repo: Repository;
  /** The absolute FHIR base URL, without trailing slash. */
  baseUrl: string;
  searchParameters: SearchParameterRegistry;
  /** Local code systems and value sets (token search modifiers :below, :above, :in, :not-in). */
  terminology: TerminologyService;
  resourceTypes: ReadonlySet<string>;
  settings: FhirSettings;
  newId: () => string;
  /** The caller's access; undefined for the server's own work (e.g. loading demo data). */
  access?: AccessContext;
  /** Where accesses to patient data are recorded; absent, nothing is audited. */
  audit?: AuditTrail;
  /** The definitions served read-only as StructureDefinition, ValueSet, CodeSystem… */
  conformance: ConformanceSource;
  /** Validates resources ($validate, and the guide's profiles on write); absent, neither is offered. */
  validator?: ResourceValidator;
}

export interface FhirSettings {
  defaultPageSize: number;
  maxPageSize: number;
  /** Upper bound of entries in a batch or transaction. */
  maxBundleEntries: number;
}

export type Preference = { return?: 'minimal' | 'representation' | 'OperationOutcome'; handling?: 'strict' | 'lenient' };

/** Parses the Prefer header (RFC 7240) for the preferences FHIR defines. */
export function preferences(header: string | undefined): Preference {
  const result: Preference = {};
  for (const part of (header ?? '').split(/[,;]/)) {
    const [key, value] = part.trim().split('=').map((s) => s?.trim().replace(/^"|"$/g, ''));
    if (key === 'return' && (value === 'minimal' || value === 'representation' || value === 'OperationOutcome')) result.return = value;
    if (key === 'handling' && (value === 'strict' || value === 'lenient')) result.handling = value;
  }
  return result;
}
