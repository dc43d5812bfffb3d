/**
 * index.html: the app once the SMART launch completed (FHIR.oauth2.ready). Builds the context (FHIR door, server
 * capabilities, language, person, user), then the shell: header with language switch, patient banner, notices,
 * live regions, and one screen at a time (team, consents, plan).
 */
import type { Patient, Reference } from 'fhir/r4.js';
import FHIR from 'fhirclient/lib/entry/browser.js';
import type { AppContext, AppState } from './app-context.js';
import { readCapabilities } from './capabilities.js';
import { loadAll } from './data.js';
import { FhirApi } from './fhir-api.js';
import { h } from './h.js';
import { CATALOGUES, pickLanguage } from './i18n/index.js';
import { patientBanner } from './patient-banner.js';
import { personName } from './resources.js';
import { carePlanScreen } from './screens/care-plan-screen.js';
import { careTeamScreen } from './screens/care-team-screen.js';
import { consentScreen } from './screens/consent-screen.js';
import { applySmartStyle } from './smart-style.js';
import type { Lang } from './terminology.js';
import { setStatusRegions } from './ui.js';

type Screen = 'team' | 'consent' | 'plan';
const SCREENS: Record<Screen, (ctx: AppContext) => HTMLElement> = { team: careTeamScreen, consent: consentScreen, plan: carePlanScreen };
const LANG_KEY = 'caring-community-app.lang';

async function start(): Promise<void> {
  const root = document.getElementById('app')!;
  const browserLang = pickLanguage(sessionStorage.getItem(LANG_KEY), navigator.language);
  // A public client identifies itself when it refreshes (app-launch.html#refresh-access-token): without client_id
  // the token endpoint cannot tell whose refresh token it is. fhirclient leaves it out unless told.
  FHIR.oauth2.settings.refreshTokenWithClientId = true;
  let client;
  try {
    client = await FHIR.oauth2.ready();
    performance.mark('smart-token'); // the budget: interactive within 1 s of this (bench/smart-app-bench.ts)
  } catch (err) {
    fatal(root, browserLang, err);
    return;
  }
  const token = (client.state.tokenResponse ?? {}) as Record<string, unknown>;
  // The EHR's language, when its launch context carries one (non-standard but common: locale, ui_locales).
  const lang = pickLanguage(sessionStorage.getItem(LANG_KEY), str(token.locale), str(token.ui_locales)?.split(' ')[0], navigator.language);
  const patientId = client.patient.id;
  if (!patientId) {
    fatal(root, lang, new Error(CATALOGUES[lang].noPatient));
    return;
  }
  if (typeof token.smart_style_url === 'string') void applySmartStyle(token.smart_style_url).catch(() => undefined);
  const api = new FhirApi(client);
  let patient: Patient;
  let caps;
  try {
    [caps, patient] = await Promise.all([readCapabilities(api), api.read<Patient>('Patient', String(patientId))]);
  } catch (err) {
    fatal(root, lang, err);
    return;
  }
  const fhirUser = client.user.fhirUser;
  const idToken = client.getIdToken() as Record<string, unknown> | null;
  const user: Reference | undefined = fhirUser ? { reference: fhirUser.replace(/^.*\/(\w+\/[^/]+)$/, '$1'), ...(str(idToken?.name) ? { display: str(idToken?.name) } : {}) } : undefined;
  const state: AppState = { teams: [], peers: [], consents: [], goals: [], drafts: {}, notices: new Set() };
  if (!['CareTeam', 'RelatedPerson', 'Consent', 'CarePlan', 'Goal'].some((type) => caps.validate(type))) state.notices.add('noValidate');
  if (!caps.searchParam('CareTeam', 'participant-role')) state.notices.add('noParticipantRole');

  let screen: Screen = 'team';
  const ctx: AppContext = {
    api,
    caps,
    lang,
    t: CATALOGUES[lang],
    patient,
    patientRef: { reference: `Patient/${patient.id}`, display: personName(patient) },
    user,
    scopes: str(token.scope)?.split(' '),
    state,
    render: () => renderShell(),
  };
  const statusRegion = h('div', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const alertRegion = h('div', { class: 'status error', role: 'alert', 'aria-live': 'assertive' });
  setStatusRegions(statusRegion, alertRegion);
  const banner = token.need_patient_banner !== false;

  const renderShell = () => {
    const { t } = ctx;
    document.documentElement.lang = t.lang;
    document.title = t.appTitle;
    const switchLang = h('button', { type: 'button', class: 'lang', lang: t.switchLanguageLang, 'aria-label': t.switchLanguageLabel }, t.switchLanguage);
    switchLang.addEventListener('click', () => {
      const next: Lang = ctx.lang === 'fr' ? 'en' : 'fr';
      sessionStorage.setItem(LANG_KEY, next);
      ctx.lang = next;
      ctx.t = CATALOGUES[next];
      renderShell();
      document.querySelector<HTMLElement>('button.lang')?.focus();
    });
    const tab = (key: Screen, text: string) => {
      const b = h('button', { type: 'button', 'aria-current': screen === key ? 'page' : undefined, 'data-screen': key }, text);
      b.addEventListener('click', () => {
        screen = key;
        renderShell();
        document.querySelector<HTMLElement>('main h2')?.focus();
      });
      return b;
    };
    const notices = [...state.notices].map((n) => h('li', {}, t.notices[n as keyof typeof t.notices]));
    const parts: (HTMLElement | null)[] = [
      h('a', { class: 'skip', href: '#main' }, t.nav.skip),
      h('header', { class: 'top' },
        h('h1', {}, t.appTitle),
        user?.display ? h('span', { class: 'muted' }, t.signedInAs(user.display)) : null,
        switchLang),
      banner ? patientBanner(patient, t, ctx.lang) : null,
      notices.length ? h('aside', { class: 'notices', 'aria-label': t.notices.title }, h('ul', {}, notices)) : null,
      h('nav', { 'aria-label': t.nav.label }, tab('team', t.nav.team), tab('consent', t.nav.consent), tab('plan', t.nav.plan)),
      // In the flow under the sections, never over the form; the same nodes across renders so they stay live.
      statusRegion,
      alertRegion,
      h('main', { id: 'main', tabindex: '-1' }, SCREENS[screen](ctx)),
    ];
    root.replaceChildren(...parts.filter((x): x is HTMLElement => !!x));
  };
  document.addEventListener('app:notices', () => renderNoticesOnly());
  const renderNoticesOnly = () => {
    // A notice found late (the peer picker) is added without re-rendering the form the user is typing in.
    const { t } = ctx;
    const list = [...state.notices].map((n) => h('li', {}, t.notices[n as keyof typeof t.notices]));
    const aside = h('aside', { class: 'notices', 'aria-label': t.notices.title }, h('ul', {}, list));
    const existing = root.querySelector('aside.notices');
    if (existing) existing.replaceWith(aside);
    else root.querySelector('nav')?.before(aside);
  };

  try {
    await loadAll(ctx);
  } catch (err) {
    fatal(root, lang, err);
    return;
  }
  renderShell();
  document.body.dataset.ready = 'true';
  performance.mark('smart-interactive');
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined;
}

function fatal(root: HTMLElement, lang: Lang, err: unknown): void {
  const t = CATALOGUES[lang];
  document.documentElement.lang = t.lang;
  root.replaceChildren(
    h('div', { class: 'fatal', role: 'alert' },
      h('h1', {}, t.launchFailed),
      h('p', {}, err instanceof Error ? err.message : String(err)),
      h('p', {}, t.launchHelp)),
  );
  document.body.dataset.ready = 'error';
}

void start();
