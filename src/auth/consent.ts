import type { AccountEntry } from './clients-file.js';
import type { LaunchContext, StoredLaunch } from './launch-store.js';
import { CONTEXT_SCOPES, parseScope, scopeAllowed } from './scopes.js';

export interface ConsentInput {
  requested: string[];
  /** The client's registered scope ceiling (empty: none registered). */
  clientScopes: string[];
  canRefresh: boolean;
  account: AccountEntry;
  launch?: StoredLaunch;
  /** Chosen on the consent page in a standalone launch. */
  chosenPatient?: string;
}

export type ConsentDecision = { scopes: string[]; context: LaunchContext } | { error: string; description: string };

const OIDC = new Set(['openid', 'fhirUser', 'profile', 'offline_access']);

/** The OpenID Connect part of a granted scope list (what oidc-provider treats as its own scopes). */
export function oidcScopes(scopes: string[]): string[] {
  return scopes.filter((s) => OIDC.has(s));
}

/** Whether the request needs a patient in context (scopes-and-launch-context.html#apps-that-launch-from-the-ehr). */
export function needsPatient(requested: string[]): boolean {
  return requested.includes('launch/patient') || requested.some((s) => parseScope(s)?.level === 'patient');
}

/**
 * Which of the requested scopes are granted, and the launch context that goes with them: SMART lets the server grant
 * less than asked (app-launch.html#response-5) but never more, and a patient/ grant needs a patient in context
 * (scopes-and-launch-context.html#apps-that-launch-from-the-ehr).
 */
export function decideConsent(input: ConsentInput): ConsentDecision {
  const launch = input.launch?.context;
  if (launch?.fhirUser && launch.fhirUser !== input.account.fhirUser) {
    return { error: 'access_denied', description: 'the signed-in user is not the user the EHR launched as' };
  }
  const patient = launch?.patient ?? (needsPatient(input.requested) ? input.chosenPatient : undefined);
  const allowedByClient = (s: string) => !input.clientScopes.length || scopeAllowed(s, input.clientScopes);
  const granted = input.requested.filter((s) => {
    if (!allowedByClient(s)) return false;
    if (s === 'launch') return input.launch !== undefined;
    if (s === 'launch/patient') return patient !== undefined;
    if (s === 'launch/encounter') return launch?.encounter !== undefined;
    if (s === 'offline_access' || s === 'online_access') return input.canRefresh;
    if (CONTEXT_SCOPES.includes(s)) return true;
    const level = parseScope(s)?.level;
    if (level === 'patient') return patient !== undefined;
    return level === 'user';
  });
  if (needsPatient(input.requested) && !patient) {
    return { error: 'invalid_request', description: 'patient-level access needs a patient in context' };
  }
  if (!granted.some((s) => parseScope(s) || s === 'openid')) {
    return { error: 'invalid_scope', description: 'none of the requested scopes can be granted to this app' };
  }
  const context: LaunchContext = {
    fhirUser: input.account.fhirUser,
    ...(patient ? { patient } : {}),
    ...(launch?.encounter ? { encounter: launch.encounter } : {}),
    need_patient_banner: launch?.need_patient_banner ?? true,
    ...(launch?.smart_style_url ? { smart_style_url: launch.smart_style_url } : {}),
    ...(launch?.intent ? { intent: launch.intent } : {}),
    ...(launch?.tenant ? { tenant: launch.tenant } : {}),
    ...(launch?.fhirContext?.length ? { fhirContext: launch.fhirContext } : {}),
  };
  return { scopes: granted, context };
}
