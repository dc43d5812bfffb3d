/**
 * launch.html: the SMART launch (app-launch.html). EHR launch: the EHR opens this page with `iss` and `launch`.
 * Standalone launch: no `launch`, the FHIR base comes from `iss` (or this server's /fhir) and the server asks for the
 * patient. Inside an EMR iframe the authorization completes in the frame itself (completeInTarget).
 */
import FHIR from 'fhirclient/lib/entry/browser.js';
import { CLIENT_ID, EHR_LAUNCH_SCOPES, STANDALONE_SCOPES } from './scopes.js';

const params = new URLSearchParams(location.search);
const iss = params.get('iss') ?? params.get('fhirServiceUrl') ?? new URL('../fhir', location.href).href;
const ehrLaunch = params.has('launch');

FHIR.oauth2
  .authorize({
    iss,
    clientId: params.get('client_id') ?? CLIENT_ID,
    scope: ehrLaunch ? EHR_LAUNCH_SCOPES : STANDALONE_SCOPES,
    redirectUri: new URL('./', location.href).href,
    completeInTarget: true,
    pkceMode: 'ifSupported',
  })
  .catch((err: unknown) => {
    const main = document.getElementById('app');
    if (!main) return;
    const p = document.createElement('p');
    p.setAttribute('role', 'alert');
    p.textContent = `Le lancement a échoué / Launch failed: ${err instanceof Error ? err.message : String(err)}`;
    main.replaceChildren(p);
  });
