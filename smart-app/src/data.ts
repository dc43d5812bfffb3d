/** Loading the person's peer-support data with core R4 search parameters only (subject, patient, category, identifier). */
import type { CarePlan, CareTeam, Consent, Goal, RelatedPerson } from 'fhir/r4.js';
import type { AppContext } from './app-context.js';
import { FhirError } from './fhir-api.js';
import { isPeerAccessConsent } from './resources.js';
import { PROGRAMME_ID_SYSTEM, SYSTEMS } from './terminology.js';

const byStatusThenDate = <T extends { status?: string; meta?: { lastUpdated?: string } }>(a: T, b: T) =>
  Number(b.status === 'active') - Number(a.status === 'active') || (b.meta?.lastUpdated ?? '').localeCompare(a.meta?.lastUpdated ?? '');

export async function loadAll(ctx: AppContext): Promise<void> {
  const p = encodeURIComponent(ctx.patientRef.reference!);
  const [teams, related, consents, plans, goals] = await Promise.all([
    // The guide's participant-role search, when the server has it, asks only for teams using the guide's roles;
    // without it the same filter runs here (peerTeams), and the shell shows a notice.
    ctx.api.search<CareTeam>(
      ctx.caps.searchParam('CareTeam', 'participant-role')
        ? `CareTeam?subject=${p}&participant-role=${encodeURIComponent(`${SYSTEMS.careTeamRole}|`)}&_count=50`
        : `CareTeam?subject=${p}&_count=50`,
    ),
    ctx.api.search<RelatedPerson>(`RelatedPerson?patient=${p}&_count=100`),
    ctx.api.search<Consent>(`Consent?patient=${p}&_count=100`),
    ctx.api.search<CarePlan>(`CarePlan?subject=${p}&category=${encodeURIComponent(`${SYSTEMS.careplanCategory}|plan-accompagnement-pair`)}&_count=20`),
    ctx.api.search<Goal>(`Goal?subject=${p}&_count=100`),
  ]);
  const s = ctx.state;
  s.teams = teams.filter((t) => t.resourceType === 'CareTeam' && isPeerTeam(t)).sort(byStatusThenDate);
  s.peers = related.filter((r) => r.resourceType === 'RelatedPerson' && isPeer(r));
  s.consents = consents.filter((c) => c.resourceType === 'Consent' && isPeerAccessConsent(c)).sort((a, b) => (b.dateTime ?? '').localeCompare(a.dateTime ?? ''));
  // Servers that ignore an unknown category still return plans: keep only peer-support plans.
  const peerPlans = plans.filter((c) => c.resourceType === 'CarePlan' && c.category?.some((x) => x.coding?.some((y) => y.system === SYSTEMS.careplanCategory)));
  s.plan = peerPlans.sort(byStatusThenDate)[0];
  s.goals = goals.filter((g) => g.resourceType === 'Goal');
}

/** A team of the peer-support model: declares the profile or uses the guide's roles (a new team has at least the person). */
function isPeerTeam(team: CareTeam): boolean {
  return (
    (team.meta?.profile ?? []).some((p) => p.endsWith('/peer-care-team')) ||
    (team.participant ?? []).some((p) => p.role?.some((r) => r.coding?.some((c) => c.system === SYSTEMS.careTeamRole)))
  );
}

export function isPeer(r: RelatedPerson): boolean {
  return (
    (r.identifier ?? []).some((i) => i.system === PROGRAMME_ID_SYSTEM) ||
    (r.relationship ?? []).some((c) => c.coding?.some((x) => x.system === SYSTEMS.careTeamRole && /partenaire$/.test(x.code ?? '')))
  );
}

export interface ProgrammePeer {
  programmeId: string;
  /** One of the peer's RelatedPerson resources (any person's), to copy name and contact from. */
  sample: RelatedPerson;
  /** The peer's RelatedPerson for THIS person, when the peer already accompanied them. */
  mine?: RelatedPerson;
}

/** Whether the granted scopes let the app search every RelatedPerson the user may see (SMART v2 `s`, or v1 read). */
export function canSearchProgramme(scopes: string[] | undefined): boolean {
  if (!scopes) return true; // an open server: try, and see
  return scopes.some((s) => /^user\/(RelatedPerson|\*)\.([cruds]*s[cruds]*|read|\*)(\?.*)?$/.test(s));
}

/**
 * The programme's peers: RelatedPerson by the programme identifier system (`identifier=system|`, core R4). A peer
 * has one RelatedPerson per person accompanied, so results are grouped by identifier value. Needs user-level search
 * of RelatedPerson (patient-level access only sees this person's). A server may grant fewer scopes than asked, or
 * refuse the search: then the list holds this person's own peers and `complete` is false (the shell says so).
 */
export async function loadProgrammePeers(ctx: AppContext): Promise<{ peers: ProgrammePeer[]; complete: boolean }> {
  let found: RelatedPerson[] = [];
  let complete = canSearchProgramme(ctx.scopes);
  if (complete) {
    try {
      found = await ctx.api.search<RelatedPerson>(`RelatedPerson?identifier=${encodeURIComponent(`${PROGRAMME_ID_SYSTEM}|`)}&_count=200`, 3);
    } catch (err) {
      if (!(err instanceof FhirError && [401, 403].includes(err.status))) throw err;
      complete = false;
    }
  }
  const groups = new Map<string, ProgrammePeer>();
  const mine = (r: RelatedPerson) => r.patient?.reference === ctx.patientRef.reference;
  for (const r of [...found, ...ctx.state.peers]) {
    const id = r.identifier?.find((i) => i.system === PROGRAMME_ID_SYSTEM)?.value;
    if (!id) continue;
    const g = groups.get(id) ?? { programmeId: id, sample: r };
    if (mine(r)) g.mine = r;
    groups.set(id, g);
  }
  return { peers: [...groups.values()], complete };
}
