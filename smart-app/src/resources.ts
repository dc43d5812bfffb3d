/**
 * Builders of the resources the app writes, shaped like the guide's examples (examples/story) and declaring their
 * profile in meta.profile. Pure functions: no I/O, so what the app writes can be read here in one place.
 */
import type { CareTeam, CareTeamParticipant, Consent, Reference, RelatedPerson } from 'fhir/r4.js';
import { CARE_TEAM_ROLES, frenchConcept, INTRODUCED_BY, PROFILES, PROGRAMME_ID_SYSTEM, SYSTEMS, type PeerRole } from './terminology.js';

/** Today as a FHIR date in the user's time zone (a participation starts on the clinician's calendar day). */
export function today(now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
}

export function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const next = new Date(Date.UTC(y + years, m - 1, d));
  // 29 February + 1 year: the day before 1 March, as people count it.
  if (next.getUTCMonth() !== m - 1) next.setUTCDate(0);
  return next.toISOString().slice(0, 10);
}

/** FHIR dateTime with the local offset, e.g. 2026-03-02T14:20:00-05:00. */
export function nowDateTime(now = new Date()): string {
  const p = (n: number) => String(Math.floor(Math.abs(n))).padStart(2, '0');
  const offset = -now.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  return `${today(now)}T${p(now.getHours())}:${p(now.getMinutes())}:${p(now.getSeconds())}${sign}${p(offset / 60)}:${p(offset % 60)}`;
}

export interface NewPeer {
  given: string;
  family: string;
  programmeId: string;
  phone?: string;
  language?: string;
}

export function personName(r: { name?: { given?: string[]; family?: string; text?: string }[] } | undefined): string {
  const n = r?.name?.[0];
  if (!n) return '';
  return n.text ?? [...(n.given ?? []), n.family ?? ''].join(' ').trim();
}

export function programmeId(peer: RelatedPerson): string | undefined {
  return peer.identifier?.find((i) => i.system === PROGRAMME_ID_SYSTEM)?.value;
}

/** A PeerSupporter for this person: one RelatedPerson per person accompanied, linked by the programme identifier. */
export function newPeerSupporter(patient: Reference, peer: NewPeer, role: PeerRole, start: string): RelatedPerson {
  const resource: RelatedPerson = {
    resourceType: 'RelatedPerson',
    meta: { profile: [PROFILES.peerSupporter] },
    identifier: [{ use: 'official', system: PROGRAMME_ID_SYSTEM, value: peer.programmeId.trim() }],
    active: true,
    patient,
    relationship: [frenchConcept(SYSTEMS.careTeamRole, CARE_TEAM_ROLES, role)],
    name: [{ use: 'usual', family: peer.family.trim(), given: [peer.given.trim()] }],
    period: { start },
  };
  if (peer.phone?.trim()) resource.telecom = [{ system: 'phone', value: peer.phone.trim(), use: 'mobile' }];
  if (peer.language) resource.communication = [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: peer.language }] }, preferred: true }];
  return resource;
}

/** The same peer, known from another person's record, as a new PeerSupporter for this person (no data of the other person is copied). */
export function peerSupporterFrom(source: RelatedPerson, patient: Reference, role: PeerRole, start: string): RelatedPerson {
  return {
    resourceType: 'RelatedPerson',
    meta: { profile: [PROFILES.peerSupporter] },
    identifier: source.identifier?.filter((i) => i.system === PROGRAMME_ID_SYSTEM),
    active: true,
    patient,
    relationship: [frenchConcept(SYSTEMS.careTeamRole, CARE_TEAM_ROLES, role)],
    name: source.name,
    telecom: source.telecom,
    communication: source.communication,
    period: { start },
  };
}

/** A peer accompanying this person again: active, with the new start and no end. */
export function reactivatePeer(peer: RelatedPerson, role: PeerRole, start: string): RelatedPerson {
  const others = (peer.relationship ?? []).filter((r) => !r.coding?.some((c) => c.system === SYSTEMS.careTeamRole));
  return { ...peer, active: true, period: { start }, relationship: [frenchConcept(SYSTEMS.careTeamRole, CARE_TEAM_ROLES, role), ...others] };
}

export function newCareTeam(patient: Reference, name: string, start: string, clinician?: Reference): CareTeam {
  const participant: CareTeamParticipant[] = [
    { role: [frenchConcept(SYSTEMS.careTeamRole, CARE_TEAM_ROLES, 'personne-accompagnee')], member: patient, period: { start } },
  ];
  if (clinician && /^(Practitioner|PractitionerRole)\//.test(clinician.reference ?? '')) {
    participant.push({ role: [frenchConcept(SYSTEMS.careTeamRole, CARE_TEAM_ROLES, 'clinicien-partenaire')], member: clinician, period: { start } });
  }
  return {
    resourceType: 'CareTeam',
    meta: { profile: [PROFILES.careTeam] },
    status: 'active',
    category: [{ coding: [{ system: 'http://loinc.org', code: 'LA28865-6', display: 'Longitudinal care-coordination focused care team' }] }],
    name,
    subject: patient,
    period: { start },
    participant,
  };
}

/** Adds a peer's participation; the clinician who introduced the person to the peer is recorded (IntroducedBy). */
export function withPeerParticipant(team: CareTeam, peer: Reference, role: PeerRole, start: string, introducedBy?: Reference): CareTeam {
  const participant: CareTeamParticipant = {
    role: [frenchConcept(SYSTEMS.careTeamRole, CARE_TEAM_ROLES, role)],
    member: peer,
    period: { start },
  };
  if (introducedBy && /^(Practitioner|PractitionerRole)\//.test(introducedBy.reference ?? '')) {
    participant.extension = [{ url: INTRODUCED_BY, valueReference: introducedBy }];
  }
  return { ...team, participant: [...(team.participant ?? []), participant] };
}

/** Ends a participation by a date: the participant stays, so the team's history can always be read. */
export function withParticipationEnded(team: CareTeam, index: number, end: string): CareTeam {
  const participant = (team.participant ?? []).map((p, i) => (i === index ? { ...p, period: { ...p.period, end } } : p));
  return { ...team, participant };
}

/**
 * The peer's own record follows, with the period closed: inactive from the end date on (cs-ps-1 compares the end
 * with now(), so a participation ending today has already ended for the validator).
 */
export function peerEnded(peer: RelatedPerson, end: string, now = today()): RelatedPerson {
  return { ...peer, period: { ...peer.period, end }, active: end > now ? peer.active : false };
}

export function isPeerRole(p: CareTeamParticipant): PeerRole | undefined {
  const code = p.role?.flatMap((r) => r.coding ?? []).find((c) => c.system === SYSTEMS.careTeamRole)?.code;
  return code === 'patient-partenaire' || code === 'citoyen-partenaire' ? code : undefined;
}

/** Whether a participation is current on a given day (started, not ended before it). */
export function isCurrent(p: CareTeamParticipant, on = today()): boolean {
  return (!p.period?.start || p.period.start <= on) && (!p.period?.end || p.period.end >= on);
}

export const CONSENT_CLASSES = ['CarePlan', 'Goal', 'CareTeam'] as const;

/** PeerAccessConsent: deny by default, one nested permit for a named peer, limited to plan/goals/team and a period. */
export function peerConsent(args: {
  patient: Reference;
  peer: Reference;
  classes: string[];
  start: string;
  end: string;
  dateTime: string;
  organization?: Reference[];
}): Consent {
  const consent: Consent = {
    resourceType: 'Consent',
    meta: { profile: [PROFILES.consent] },
    status: 'active',
    scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy', display: 'Privacy Consent' }] },
    category: [{ coding: [{ system: 'http://loinc.org', code: '64292-6', display: 'Release of information consent' }] }],
    patient: args.patient,
    dateTime: args.dateTime,
    performer: [args.patient],
    policy: [{ authority: 'https://www.legisquebec.gouv.qc.ca', uri: 'https://www.legisquebec.gouv.qc.ca/fr/document/lc/R-22.1' }],
    provision: {
      type: 'deny',
      provision: [
        {
          type: 'permit',
          period: { start: args.start, end: args.end },
          actor: [
            {
              role: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'IRCP', display: 'information recipient' }] },
              reference: args.peer,
            },
          ],
          action: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentaction', code: 'access', display: 'Access' }] }],
          class: args.classes.map((code) => ({ system: 'http://hl7.org/fhir/resource-types', code })),
        },
      ],
    },
  };
  if (args.organization?.length) consent.organization = args.organization;
  return consent;
}

/**
 * Withdrawal: status `inactive` (R4: the consent is no longer in force), never a delete. `rejected` is kept for a
 * consent the person refused from the start; the app records only consents given, so it withdraws with `inactive`.
 */
export function withdrawnConsent(consent: Consent): Consent {
  return { ...consent, status: 'inactive' };
}

export function isPeerAccessConsent(consent: Consent): boolean {
  return (
    (consent.meta?.profile ?? []).includes(PROFILES.consent) ||
    (consent.category ?? []).some((c) => c.coding?.some((x) => x.system === 'http://loinc.org' && x.code === '64292-6'))
  );
}
