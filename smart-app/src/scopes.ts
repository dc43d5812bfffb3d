/**
 * The least the app needs (SMART App Launch 2.2, scopes-and-launch-context.html):
 * - `openid fhirUser profile`: who the clinician is, recorded as the clinician partner who introduces the peer
 *   (IntroducedBy) and as the author of notes; `profile` gives the name to display with that reference without
 *   reading the Practitioner resource (which would need a user-level scope).
 * - `launch` (EHR launch) or `launch/patient` (standalone: the server asks for a patient): the app only works on one
 *   person's chart.
 * - `online_access`: a refresh token while the user's session lasts, so a long editing session does not end on an
 *   expired access token; no `offline_access`, the app keeps nothing once closed.
 * - `patient/Patient.r`: the banner; the app never changes the chart's demographics.
 * - `patient/{CareTeam,RelatedPerson,Consent,CarePlan,Goal}.crus`: create, read, update, search, and never `d`: a
 *   peer leaves by an end date, a consent is withdrawn by status, history is never deleted.
 * - `user/RelatedPerson.rs`: the peer picker. The programme's peers are RelatedPerson resources of OTHER people
 *   (one per person accompanied), linked by the programme identifier: patient-level access cannot see them. Read and
 *   search only, RelatedPerson only; the app copies just the peer's name, contact and languages into the new
 *   RelatedPerson for this person, never anything about the other people. When the server does not grant it, the
 *   picker offers this person's own peers and a new entry (see data.ts loadProgrammePeers).
 */
const RESOURCES = ['CareTeam', 'RelatedPerson', 'Consent', 'CarePlan', 'Goal'];
const COMMON = ['openid', 'fhirUser', 'profile', 'online_access', 'patient/Patient.r', ...RESOURCES.map((r) => `patient/${r}.crus`), 'user/RelatedPerson.rs'];

export const EHR_LAUNCH_SCOPES = ['launch', ...COMMON].join(' ');
export const STANDALONE_SCOPES = ['launch/patient', ...COMMON].join(' ');
export const CLIENT_ID = 'caring-community-app';
