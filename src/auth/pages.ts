import { parseScope } from './scopes.js';

/**
 * The HTML pages people see while authorizing: sign-in, consent with patient choice, errors. French and English,
 * plain accessible HTML (labels, landmarks, lang attribute), no scripts.
 */
export type Lang = 'fr' | 'en';

const TEXT = {
  fr: {
    signIn: 'Connexion',
    username: "Nom d'utilisateur",
    password: 'Mot de passe',
    submit: 'Se connecter',
    badLogin: "Nom d'utilisateur ou mot de passe incorrect.",
    consentTitle: 'Autoriser l’application',
    wants: 'demande l’accès suivant :',
    signedInAs: 'Connecté en tant que',
    patient: 'Patient',
    choosePatient: 'Choisir le patient',
    search: 'Rechercher',
    noPatients: 'Aucun patient trouvé.',
    allow: 'Autoriser',
    deny: 'Refuser',
    error: 'Erreur d’autorisation',
    switchTo: 'English',
  },
  en: {
    signIn: 'Sign in',
    username: 'Username',
    password: 'Password',
    submit: 'Sign in',
    badLogin: 'Wrong username or password.',
    consentTitle: 'Authorize the app',
    wants: 'asks for the following access:',
    signedInAs: 'Signed in as',
    patient: 'Patient',
    choosePatient: 'Choose the patient',
    search: 'Search',
    noPatients: 'No patient found.',
    allow: 'Allow',
    deny: 'Deny',
    error: 'Authorization error',
    switchTo: 'Français',
  },
} as const;

const SCOPE_TEXT: Record<Lang, Record<string, string>> = {
  fr: {
    openid: 'Confirmer votre identité',
    fhirUser: 'Connaître votre fiche (intervenant, pair ou patient)',
    profile: 'Connaître votre nom',
    launch: 'Recevoir le contexte du lancement par le DME',
    'launch/patient': 'Savoir quel patient est concerné',
    'launch/encounter': 'Savoir quelle rencontre est concernée',
    offline_access: 'Garder l’accès après votre déconnexion',
    online_access: 'Garder l’accès tant que vous êtes connecté',
    patient: 'patient concerné',
    user: 'selon vos accès',
    system: 'tout le système',
    all: 'toutes les données',
    c: 'créer',
    r: 'lire',
    u: 'modifier',
    d: 'supprimer',
    s: 'rechercher',
  },
  en: {
    openid: 'Confirm your identity',
    fhirUser: 'Know your record (clinician, peer or patient)',
    profile: 'Know your name',
    launch: 'Receive the launch context from the EHR',
    'launch/patient': 'Know which patient this is about',
    'launch/encounter': 'Know which encounter this is about',
    offline_access: 'Keep access after you sign out',
    online_access: 'Keep access while you are signed in',
    patient: 'the patient concerned',
    user: 'as your access allows',
    system: 'whole system',
    all: 'all data',
    c: 'create',
    r: 'read',
    u: 'update',
    d: 'delete',
    s: 'search',
  },
};

/** A scope in words, for people deciding on consent; the scope itself is shown next to it. */
export function describeScope(scope: string, lang: Lang): string {
  const t = SCOPE_TEXT[lang];
  if (t[scope]) return t[scope];
  const grant = parseScope(scope);
  if (!grant) return scope;
  const verbs = (['c', 'r', 'u', 'd', 's'] as const).filter((p) => grant.permissions.has(p)).map((p) => t[p]);
  const what = grant.resourceType === '*' ? t.all : grant.resourceType;
  const filter = grant.query?.length ? ` (${grant.query.map(([k, v]) => `${k}=${v}`).join(', ')})` : '';
  const verbText = verbs.join(', ');
  const colon = lang === 'fr' ? ' : ' : ': ';
  return `${verbText.charAt(0).toUpperCase()}${verbText.slice(1)}${colon}${what}${filter} — ${t[grant.level]}`;
}

/** Escapes text for HTML content and attribute values. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** `?lang=` first, then the Accept-Language header; French by default (a Montréal service). */
export function pickLang(query: unknown, acceptLanguage: string | undefined): Lang {
  if (query === 'en' || query === 'fr') return query;
  const first = (acceptLanguage ?? '').split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'fr';
}

function layout(lang: Lang, title: string, body: string, switchHref?: string): string {
  const other = lang === 'fr' ? 'en' : 'fr';
  const sw = switchHref ? `<nav aria-label="Langue / Language"><a href="${esc(switchHref)}${switchHref.includes('?') ? '&' : '?'}lang=${other}" lang="${other}">${TEXT[lang].switchTo}</a></nav>` : '';
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)} · Communauté soignante</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}
label{display:block;margin-top:.75rem;font-weight:600}input,select{font-size:1rem;padding:.4rem;width:100%;box-sizing:border-box}
button{font-size:1rem;padding:.5rem 1rem;margin:1rem .5rem 0 0}.error{color:#a40000;font-weight:600}ul.scopes code{background:#f2f2f2;padding:0 .25rem}
:focus{outline:3px solid #1a5fb4;outline-offset:2px}</style></head>
<body><header>${sw}</header><main><h1>${esc(title)}</h1>${body}</main></body></html>`;
}

export function loginPage(lang: Lang, action: string, selfHref: string, appName: string, failed: boolean): string {
  const t = TEXT[lang];
  return layout(
    lang,
    t.signIn,
    `<p>${esc(appName)}</p>${failed ? `<p class="error" role="alert">${t.badLogin}</p>` : ''}
<form method="post" action="${esc(action)}"><input type="hidden" name="lang" value="${lang}">
<label for="username">${t.username}</label><input id="username" name="username" autocomplete="username" required autofocus>
<label for="password">${t.password}</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">${t.submit}</button></form>`,
    selfHref,
  );
}

export interface PatientChoice {
  id: string;
  display: string;
}

export function consentPage(
  lang: Lang,
  options: {
    action: string;
    selfHref: string;
    appName: string;
    user: string;
    scopes: string[];
    /** Fixed by the EHR launch; otherwise `choices` are offered (standalone launch/patient). */
    patient?: PatientChoice;
    choices?: PatientChoice[];
    query?: string;
  },
): string {
  const t = TEXT[lang];
  const patientBlock = options.patient
    ? `<p>${t.patient}: <strong>${esc(options.patient.display)}</strong></p>`
    : options.choices
      ? `<form method="get" action="${esc(options.selfHref)}" role="search"><input type="hidden" name="lang" value="${lang}">
<label for="q">${t.search}</label><input id="q" name="q" value="${esc(options.query ?? '')}"><button type="submit">${t.search}</button></form>
${options.choices.length ? `<label for="patient">${t.choosePatient}</label><select id="patient" name="patient" form="consent" required>${options.choices.map((c) => `<option value="${esc(c.id)}">${esc(c.display)}</option>`).join('')}</select>` : `<p role="status">${t.noPatients}</p>`}`
      : '';
  return layout(
    lang,
    t.consentTitle,
    `<p>${t.signedInAs} <strong>${esc(options.user)}</strong></p>
<p><strong>${esc(options.appName)}</strong> ${t.wants}</p><ul class="scopes">${options.scopes.map((s) => `<li>${esc(describeScope(s, lang))} <code>${esc(s)}</code></li>`).join('')}</ul>
${patientBlock}
<form method="post" action="${esc(options.action)}" id="consent"><input type="hidden" name="lang" value="${lang}">
<button type="submit" name="decision" value="allow">${t.allow}</button><button type="submit" name="decision" value="deny">${t.deny}</button></form>`,
    options.selfHref,
  );
}

/** Errors shown to people keep the OAuth shape (error, error_description) in both languages. */
export function errorPage(out: { error: string; error_description?: string }): string {
  return layout(
    'fr',
    `${TEXT.fr.error} / ${TEXT.en.error}`,
    `<p class="error" role="alert"><code>${esc(out.error)}</code></p>${out.error_description ? `<p>${esc(out.error_description)}</p>` : ''}`,
  );
}
