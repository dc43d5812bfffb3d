import { Router } from 'express';
import type { Registry } from '../clients-file.js';
import { esc, pickLang, type Lang } from '../pages.js';
import { authEndpoints } from '../smart-configuration.js';
import { sandboxMain, type SandboxSettings } from './sandbox-script.js';

const TEXT: Record<Lang, Record<string, string>> = {
  fr: {
    title: 'Bac à sable DME',
    intro: 'Ce bac à sable joue le rôle du dossier médical électronique : il lance une application SMART dans le contexte d’un patient, comme le ferait un DME.',
    signIn: 'Se connecter comme intervenant',
    accounts: 'Comptes de démonstration',
    signedInAs: 'Connecté :',
    signOut: 'Se déconnecter',
    patient: 'Patient',
    encounter: 'Rencontre (facultatif)',
    noEncounter: '— aucune —',
    app: 'Application',
    intent: 'Intention (facultatif)',
    embedded: 'Ouvrir dans la page (cadre intégré, sans bandeau patient)',
    launch: 'Lancer',
    launchedAt: 'Adresse de lancement :',
    noEhrClient: 'Aucun client DME n’est inscrit pour cette adresse (CLIENTS_FILE).',
    badState: 'Réponse d’autorisation inattendue (state).',
    expired: 'Session expirée : reconnectez-vous.',
    switchTo: 'English',
  },
  en: {
    title: 'EHR sandbox',
    intro: 'This sandbox plays the electronic health record: it launches a SMART app in a patient’s context, as an EHR would.',
    signIn: 'Sign in as a practitioner',
    accounts: 'Demo accounts',
    signedInAs: 'Signed in:',
    signOut: 'Sign out',
    patient: 'Patient',
    encounter: 'Encounter (optional)',
    noEncounter: '— none —',
    app: 'App',
    intent: 'Intent (optional)',
    embedded: 'Open inside the page (embedded frame, no patient banner)',
    launch: 'Launch',
    launchedAt: 'Launch URL:',
    noEhrClient: 'No EHR client is registered for this address (CLIENTS_FILE).',
    badState: 'Unexpected authorization response (state).',
    expired: 'Session expired: sign in again.',
    switchTo: 'Français',
  },
};

/** Some TypeScript runners (esbuild keepNames) wrap functions in `__name(...)`; the browser needs it defined. */
const NAME_SHIM = 'const __name = (target) => target;';

/** GET /ehr/: the EHR sandbox page (French and English), and the style document it passes to apps. */
export function ehrSandboxRoutes(parts: { baseUrl: string; registry: Registry }): Router {
  const router = Router();
  const redirectUri = `${parts.baseUrl}/ehr/`;
  const client = parts.registry.clients.find((c) => c.ehr && c.kind === 'public' && c.redirect_uris?.includes(redirectUri));
  const apps = parts.registry.clients.filter((c) => c.launch_url && c.kind !== 'backend');
  const endpoints = authEndpoints(`${parts.baseUrl}/auth`);

  router.get('/', (req, res) => {
    const lang = pickLang(req.query.lang, req.headers['accept-language']);
    const t = TEXT[lang];
    res.setHeader('Cache-Control', 'no-store');
    if (!client) {
      res.status(404).type('html').send(`<!doctype html><html lang="${lang}"><meta charset="utf-8"><title>${t.title}</title><main><h1>${t.title}</h1><p>${t.noEhrClient}</p></main></html>`);
      return;
    }
    const settings: SandboxSettings = {
      fhirBase: `${parts.baseUrl}/fhir`,
      authorize: endpoints.authorize,
      token: endpoints.token,
      launch: endpoints.launch,
      clientId: client.client_id,
      redirectUri,
      lang,
      text: t,
    };
    // Demo accounts with plain passwords exist only outside production (clients-file.ts refuses them there).
    const demo = parts.registry.accounts.filter((a) => a.password);
    const other = lang === 'fr' ? 'en' : 'fr';
    res.type('html').send(`<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${t.title} · Communauté soignante</title>
<style>body{font-family:system-ui,sans-serif;margin:1rem 2rem;line-height:1.5;color:#1a1a1a}label{display:block;margin-top:.75rem;font-weight:600}
select,input[type=text]{font-size:1rem;padding:.3rem;min-width:20rem}button{font-size:1rem;padding:.4rem 1rem;margin-top:1rem}
iframe{width:100%;height:70vh;border:1px solid #888;margin-top:1rem}#status{color:#a40000;font-weight:600}:focus{outline:3px solid #1a5fb4}</style></head>
<body><header><nav aria-label="Langue / Language"><a href="?lang=${other}" lang="${other}">${t.switchTo}</a></nav></header>
<main><h1>${t.title}</h1><p>${t.intro}</p><p id="status" role="alert"></p>
<section id="signed-out" hidden><button id="sign-in" type="button">${t.signIn}</button>
${demo.length ? `<h2>${t.accounts}</h2><ul>${demo.map((a) => `<li>${esc(a.name)} — <code>${esc(a.username)}</code> / <code>${esc(a.password)}</code> (${esc(a.fhirUser)})</li>`).join('')}</ul>` : ''}</section>
<section id="signed-in" hidden><p>${t.signedInAs} <strong id="user"></strong> <button id="sign-out" type="button">${t.signOut}</button></p>
<label for="patient">${t.patient}</label><select id="patient"></select>
<label for="encounter">${t.encounter}</label><select id="encounter"></select>
<label for="app">${t.app}</label><select id="app">${apps.map((a) => `<option value="${esc(a.client_id)}" data-launch-url="${esc(a.launch_url)}">${esc(a.name)}</option>`).join('')}</select>
<label for="intent">${t.intent}</label><input id="intent" type="text">
<label><input id="embedded" type="checkbox" checked> ${t.embedded}</label>
<button id="launch" type="button">${t.launch}</button>
<p>${t.launchedAt} <code id="launched"></code></p>
<iframe id="app-frame" title="${t.app}" hidden></iframe></section></main>
<script type="module">${NAME_SHIM}(${sandboxMain.toString()})(${JSON.stringify(settings).replace(/</g, '\\u003c')});</script></body></html>`);
  });

  // The style an EHR hands apps (scopes-and-launch-context.html#styling).
  router.get('/smart-style.json', (_req, res) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.json({
      color_background: '#ffffff',
      color_error: '#a40000',
      color_highlight: '#1a5fb4',
      color_modal_backdrop: '',
      color_success: '#26a269',
      color_text: '#1a1a1a',
      dim_border_radius: '4px',
      dim_font_size: '16px',
      dim_spacing_size: '16px',
      font_family_body: 'system-ui, sans-serif',
      font_family_heading: 'system-ui, sans-serif',
    });
  });
  return router;
}
