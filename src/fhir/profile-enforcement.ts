import type { Coding, OperationOutcome, Resource } from 'fhir/r4.js';
import { FhirError } from './outcomes.js';

/** What the FHIR layer needs of a validator (src/validation implements it). */
export interface ResourceValidator {
  validate(resource: unknown, options?: { profiles?: string[]; shapeOnly?: boolean }): OperationOutcome;
}

export const IG_CANONICAL = 'https://fhir.communautesoignante.ca';

/**
 * Resources in the peer-support model are recognised by their codes even when they do not claim the profile: the
 * guide's code systems in CarePlan.category, Goal.category and CareTeam.participant.role.
 */
// Each rule reads the JSON of its own resource type, which $validate may bring malformed.
const IMPLIED_PROFILES: { type: string; profile: string; codings: (r: Record<string, unknown>) => unknown[] }[] = [
  {
    type: 'CarePlan',
    profile: `${IG_CANONICAL}/StructureDefinition/peer-support-care-plan`,
    codings: (r) => codingsOf(r.category),
  },
  {
    type: 'Goal',
    profile: `${IG_CANONICAL}/StructureDefinition/life-goal`,
    codings: (r) => codingsOf(r.category),
  },
  {
    type: 'CareTeam',
    profile: `${IG_CANONICAL}/StructureDefinition/peer-care-team`,
    codings: (r) => list(r.participant).flatMap((p) => codingsOf((p as { role?: unknown } | null)?.role)),
  },
];

/** The codings of a list of CodeableConcepts, whatever its JSON holds. */
function codingsOf(concepts: unknown): unknown[] {
  return list(concepts).flatMap((c) => list((c as { coding?: unknown } | null)?.coding));
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The guide's profiles a written resource must conform to: those it claims, and those its codes imply. */
export function profilesToEnforce(resource: Resource): string[] {
  // $validate brings any resource here, well-formed or not.
  const claimed = list(resource.meta?.profile).filter((p): p is string => typeof p === 'string' && p.startsWith(`${IG_CANONICAL}/`));
  const implied = IMPLIED_PROFILES.filter(
    (rule) =>
      rule.type === resource.resourceType &&
      rule.codings(resource as unknown as Record<string, unknown>).some((c) => {
        const system = (c as Coding | null)?.system;
        return typeof system === 'string' && system.startsWith(`${IG_CANONICAL}/`);
      }),
  ).map((rule) => rule.profile);
  return [...new Set([...claimed.map((p) => p.split('|')[0]), ...implied])];
}

/**
 * Enforcement on write, before anything is stored. Every resource must be well-formed FHIR JSON (objects, arrays
 * and primitives where R4 puts them, known properties): otherwise 400, as R4 http.html says of a resource that
 * "could not be parsed". A resource of the peer-support model must also conform to the guide's profiles:
 * otherwise 422 ("Unprocessable Entity"). Either way the body is the validator's OperationOutcome, errors only.
 * Cardinalities, bindings and invariants of the base specification are left to `$validate`.
 */
export function enforceOnWrite(validator: ResourceValidator | undefined, resource: Resource): void {
  if (!validator) return;
  checkWellFormed(validator, resource);
  const profiles = profilesToEnforce(resource);
  if (profiles.length) refuseErrors(422, validator.validate(resource, { profiles }));
}

/** Refuses, with 400, a resource that is not well-formed FHIR JSON: a body, or the input of an operation. */
export function checkWellFormed(validator: ResourceValidator | undefined, resource: Resource): void {
  if (validator) refuseErrors(400, validator.validate(resource, { shapeOnly: true }));
}

function refuseErrors(status: number, result: OperationOutcome): void {
  // The validator failed (its one fatal exception), not the resource: a bug, answered as one, with a 500 whose trace
  // goes to the log, not to the client.
  const failure = result.issue.find((i) => i.severity === 'fatal' && i.code === 'exception');
  if (failure) throw new Error(`${failure.details?.text ?? 'Validator failure'} (${failure.diagnostics ?? 'no trace'})`);
  const errors = result.issue.filter((i) => i.severity === 'error' || i.severity === 'fatal');
  if (errors.length) throw new FhirError(status, { ...result, issue: errors });
}
