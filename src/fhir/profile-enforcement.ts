import type { Coding, OperationOutcome, Resource } from 'fhir/r4.js';
import { FhirError } from './outcomes.js';

/** What the FHIR layer needs of a validator (src/validation implements it). */
export interface ResourceValidator {
  validate(resource: unknown, options?: { profiles?: string[] }): OperationOutcome;
}

export const IG_CANONICAL = 'https://fhir.communautesoignante.ca';

/**
 * Resources in the peer-support model are recognised by their codes even when they do not claim the profile: the
 * guide's code systems in CarePlan.category, Goal.category and CareTeam.participant.role.
 */
// `any`: each rule reads the JSON of its own resource type.
const IMPLIED_PROFILES: { type: string; profile: string; codings: (r: Record<string, any>) => Coding[] }[] = [
  {
    type: 'CarePlan',
    profile: `${IG_CANONICAL}/StructureDefinition/peer-support-care-plan`,
    codings: (r) => (r.category ?? []).flatMap((c: { coding?: Coding[] }) => c.coding ?? []),
  },
  {
    type: 'Goal',
    profile: `${IG_CANONICAL}/StructureDefinition/life-goal`,
    codings: (r) => (r.category ?? []).flatMap((c: { coding?: Coding[] }) => c.coding ?? []),
  },
  {
    type: 'CareTeam',
    profile: `${IG_CANONICAL}/StructureDefinition/peer-care-team`,
    codings: (r) => (r.participant ?? []).flatMap((p: { role?: { coding?: Coding[] }[] }) => (p.role ?? []).flatMap((c) => c.coding ?? [])),
  },
];

/** The guide's profiles a written resource must conform to: those it claims, and those its codes imply. */
export function profilesToEnforce(resource: Resource): string[] {
  const claimed = (resource.meta?.profile ?? []).filter((p) => p.startsWith(`${IG_CANONICAL}/`));
  const implied = IMPLIED_PROFILES.filter(
    (rule) => rule.type === resource.resourceType && rule.codings(resource as unknown as Record<string, unknown>).some((c) => c.system?.startsWith(`${IG_CANONICAL}/`)),
  ).map((rule) => rule.profile);
  return [...new Set([...claimed.map((p) => p.split('|')[0]), ...implied])];
}

/**
 * Enforcement on write: a resource of the peer-support model that does not conform is refused with 422 and the
 * validator's OperationOutcome (R4 http.html#2.21.0.1: "Unprocessable Entity"), before anything is stored.
 */
export function enforceProfiles(validator: ResourceValidator | undefined, resource: Resource): void {
  if (!validator) return;
  const profiles = profilesToEnforce(resource);
  if (!profiles.length) return;
  const result = validator.validate(resource, { profiles });
  const errors = result.issue.filter((i) => i.severity === 'error' || i.severity === 'fatal');
  if (errors.length) throw new FhirError(422, { ...result, issue: errors });
}
