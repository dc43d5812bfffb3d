import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A tiny SMART app on its own origin, for browser tests: /launch starts the EHR launch (discovery, PKCE S256,
 * authorize), /callback exchanges the code and reads the launch patient, then shows what it got as JSON in #result.
 */
const page = (script: string) => `<!doctype html><html lang="en"><meta charset="utf-8"><title>Test app</title><pre id="result"></pre><script type="module">${script}</script></html>`;

const launchScript = `
const q = new URLSearchParams(location.search);
const iss = q.get('iss');
const conf = await (await fetch(iss + '/.well-known/smart-configuration')).json();
const bytes = crypto.getRandomValues(new Uint8Array(32));
const b64 = (b) => btoa(String.fromCharCode(...new Uint8Array(b))).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
const verifier = b64(bytes);
const challenge = b64(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
sessionStorage.setItem('app', JSON.stringify({ verifier, iss, token: conf.token_endpoint }));
location.assign(conf.authorization_endpoint + '?' + new URLSearchParams({
  response_type: 'code', client_id: 'browser-app', redirect_uri: location.origin + '/callback',
  scope: 'launch openid fhirUser patient/*.rs', state: 'app-state', aud: iss, launch: q.get('launch'),
  code_challenge: challenge, code_challenge_method: 'S256' }));
`;

const callbackScript = `
const q = new URLSearchParams(location.search);
const saved = JSON.parse(sessionStorage.getItem('app'));
const res = await fetch(saved.token, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ grant_type: 'authorization_code', code: q.get('code'), redirect_uri: location.origin + '/callback',
    client_id: 'browser-app', code_verifier: saved.verifier }) });
const token = await res.json();
const patient = await (await fetch(saved.iss + '/Patient/' + token.patient, { headers: { authorization: 'Bearer ' + token.access_token } })).json();
document.getElementById('result').textContent = JSON.stringify({ state: q.get('state'), token, patient });
`;

export async function startTestApp(): Promise<{ origin: string; close(): Promise<void>; server: Server }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    res.setHeader('content-type', 'text/html; charset=utf-8');
    if (path === '/launch') res.end(page(launchScript));
    else if (path === '/callback') res.end(page(callbackScript));
    else res.writeHead(404).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, server, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
