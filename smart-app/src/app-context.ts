/** What every screen needs: the FHIR door, the server's capabilities, the language, the person and the user. */
import type { CarePlan, CareTeam, Consent, Goal, Patient, Reference, RelatedPerson } from 'fhir/r4.js';
import type { Capabilities } from './capabilities.js';
import type { PlanDraft } from './care-plan-model.js';
import type { FhirApi } from './fhir-api.js';
import type { Messages } from './i18n/index.js';
import type { Lang } from './terminology.js';

export interface AppState {
  teams: CareTeam[];
  /** This person's RelatedPerson resources that are peers (PeerSupporter). */
  peers: RelatedPerson[];
  consents: Consent[];
  plan?: CarePlan;
  goals: Goal[];
  planDraft?: PlanDraft;
  /** Screen-local drafts that must survive re-renders (language switch, conflicts). */
  drafts: Record<string, Record<string, string>>;
  notices: Set<string>;
}

export interface AppContext {
  api: FhirApi;
  caps: Capabilities;
  lang: Lang;
  t: Messages;
  patient: Patient;
  patientRef: Reference;
  /** The signed-in user (fhirUser), recorded as the clinician partner who introduces the peer, when known. */
  user?: Reference;
  /** The scopes the server granted (the token response's `scope`); undefined on an open server. */
  scopes?: string[];
  state: AppState;
  /** Re-renders the current screen (after data changes or a language switch). */
  render(): void;
}
