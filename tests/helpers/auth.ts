/**
 * Real tokens for tests, through the real protocol: a clients file with test clients and accounts, the backend
 * services flow (client_credentials + signed assertion), and a cookie-jar driver of the sign-in and consent pages.
 * Other parts' tests use `testAuthSettings` when starting the server and `backendToken` for their requests.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import type { RunningServer } from '../../src/main.js';

interface KeyPair {
  alg: 'ES384' | 'RS384';
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

let keys: Promise<{ es384: KeyPair; rs384: KeyPair }> | undefined;

async function makeKey(alg: 'ES384' | 'RS384'): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const kid = `test-${alg.toLowerCase()}-${randomBytes(4).toString('hex')}`;
  return { alg, kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

/** The test key pairs, generated once per test process. */
export function testKeys(): Promise<{ es384: KeyPair; rs384: KeyPair }> {
  keys ??= (async () => ({ es384: await makeKey('ES384'), rs384: await makeKey('RS384') }))();
  return keys;
}

export const TEST_SECRET = 'test-confidential-secret-0123456789abcdef';
export const ACCOUNTS = {
  alice: { username: 'alice', password: 'alice-password', fhirUser: 'Practitioner/alice' },
  bob: { username: 'bob', password: 'bob-password', fhirUser: 'Practitioner/bob' },
};

/** Writes a clients file of test clients into `dir`; spread the result into loadConfig's environment. */
export async function testAuthSettings(dir: string, extraClients: Record<string, unknown>[] = []): Promise<{ CLIENTS_FILE: string }> {
  const { es384, rs384 } = await testKeys();
  const app = '{{BASE_URL}}/test-app/callback';
  const file = join(dir, 'clients.test.json');
  const registry = {
    accounts: [
      { id: 'alice', username: 'alice', password: ACCOUNTS.alice.password, fhirUser: ACCOUNTS.alice.fhirUser, name: 'Alice Practitioner' },
      { id: 'bob', username: 'bob', password: ACCOUNTS.bob.password, fhirUser: ACCOUNTS.bob.fhirUser, name: 'Bob Practitioner' },
    ],
    clients: [
      { client_id: 'test-app', kind: 'public', name: 'Test app', redirect_uris: [app], launch_url: '{{BASE_URL}}/test-app/launch', scope: 'openid fhirUser profile launch launch/patient launch/encounter offline_access online_access patient/*.cruds user/*.cruds' },
      { client_id: 'other-app', kind: 'public', name: 'Other app', redirect_uris: [app], scope: 'openid fhirUser launch launch/patient patient/*.rs' },
      { client_id: 'test-confidential', kind: 'confidential-symmetric', name: 'Confidential app', redirect_uris: [app], client_secret: TEST_SECRET, scope: 'openid fhirUser launch/patient offline_access patient/*.rs user/*.rs' },
      { client_id: 'test-confidential-post', kind: 'confidential-symmetric', token_endpoint_auth_method: 'client_secret_post', name: 'Confidential app (post)', redirect_uris: [app], client_secret: TEST_SECRET, scope: 'openid fhirUser user/*.rs' },
      { client_id: 'test-asymmetric', kind: 'confidential-asymmetric', name: 'Asymmetric app', redirect_uris: [app], jwks: { keys: [rs384.publicJwk] }, scope: 'openid fhirUser user/*.rs' },
      { client_id: 'test-ehr', kind: 'public', ehr: true, name: 'Test EHR', redirect_uris: ['{{BASE_URL}}/test-ehr/', '{{BASE_URL}}/ehr/'], scope: 'openid fhirUser profile user/Patient.rs user/Encounter.rs' },
      { client_id: 'test-backend', kind: 'backend', name: 'Test backend (ES384)', jwks: { keys: [es384.publicJwk] }, scope: 'system/*.cruds' },
      { client_id: 'test-backend-rs384', kind: 'backend', name: 'Test backend (RS384)', jwks: { keys: [rs384.publicJwk] }, scope: 'system/Patient.rs system/Observation.rs' },
      ...extraClients,
    ],
  };
  writeFileSync(file, JSON.stringify(registry, null, 2));
  return { CLIENTS_FILE: file };
}

/** A client assertion JWT (client-confidential-asymmetric.html#authenticating-to-the-token-endpoint). */
export async function clientAssertion(
  server: RunningServer,
  clientId: string,
  key: KeyPair,
  overrides: { jti?: string; exp?: number; aud?: string } = {},
): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(overrides.aud ?? `${server.url}/auth/token`)
    .setJti(overrides.jti ?? randomUUID())
    .setExpirationTime(overrides.exp ?? Math.floor(Date.now() / 1000) + 240)
    .sign(key.privateKey);
}

/** POSTs a form to the token endpoint and returns status and JSON body. */
export async function tokenRequest(
  server: RunningServer,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(`${server.url}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

/**
 * A SMART Backend Services access token (backend-services.html) for the test backend client: the way tests of the
 * FHIR API get a token. The server must have been started with `testAuthSettings`.
 */
export async function backendToken(server: RunningServer, scope = 'system/*.cruds', clientId = 'test-backend'): Promise<string> {
  const { es384, rs384 } = await testKeys();
  const key = clientId === 'test-backend-rs384' ? rs384 : es384;
  const { status, body } = await tokenRequest(server, {
    grant_type: 'client_credentials',
    scope,
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: await clientAssertion(server, clientId, key),
  });
  if (status !== 200 || typeof body.access_token !== 'string') {
    throw new Error(`backend token refused (${status}): ${JSON.stringify(body)}; was the server started with testAuthSettings()?`);
  }
  return body.access_token;
}

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** A browser stand-in: follows nothing by itself, keeps cookies by name. */
export class Browser {
  private readonly cookies = new Map<string, string>();

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]) < Date.now()) || attributes.some((a) => /^\s*max-age=0/i.test(a));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  get(url: string): Promise<Response> {
    return this.request(url);
  }

  postForm(url: string, form: Record<string, string>): Promise<Response> {
    return this.request(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
  }
}

export interface AuthorizeOptions {
  clientId?: string;
  scope: string;
  aud?: string;
  launch?: string;
  redirectUri?: string;
  /** undefined: a fresh S256 challenge; null: no PKCE; an object: as given. */
  pkce?: { challenge: string; method?: string; verifier?: string } | null;
  state?: string;
  account?: keyof typeof ACCOUNTS;
  /** For a standalone launch with a patient picker. */
  patient?: string;
  decision?: 'allow' | 'deny';
  method?: 'GET' | 'POST';
  browser?: Browser;
  extra?: Record<string, string>;
}

export interface AuthorizeResult {
  /** The final redirect to the app, parsed (code/state or error/error_description). */
  redirect?: URL;
  /** The response that ended the flow when it was not a redirect to the app. */
  status: number;
  body?: string;
  verifier?: string;
  redirectUri: string;
  clientId: string;
  browser: Browser;
}

/** Drives authorize → sign-in → consent → back to the app with plain HTTP, as a browser would. */
export async function authorize(server: RunningServer, options: AuthorizeOptions): Promise<AuthorizeResult> {
  const browser = options.browser ?? new Browser();
  const redirectUri = options.redirectUri ?? `${server.url}/test-app/callback`;
  const challenge = options.pkce === undefined ? pkce() : undefined;
  const params: Record<string, string> = {
    response_type: 'code',
    client_id: options.clientId ?? 'test-app',
    redirect_uri: redirectUri,
    scope: options.scope,
    state: options.state ?? randomBytes(8).toString('hex'),
    aud: options.aud ?? server.fhirBase,
    ...(options.launch ? { launch: options.launch } : {}),
    ...(challenge ? { code_challenge: challenge.challenge, code_challenge_method: 'S256' } : {}),
    ...(options.pkce ? { code_challenge: options.pkce.challenge, ...(options.pkce.method ? { code_challenge_method: options.pkce.method } : {}) } : {}),
    ...options.extra,
  };
  const verifier = challenge?.verifier ?? options.pkce?.verifier;
  const clientId = params.client_id;
  const authorizeUrl = `${server.url}/auth/authorize`;
  let res =
    options.method === 'POST'
      ? await browser.postForm(authorizeUrl, params)
      : await browser.get(`${authorizeUrl}?${new URLSearchParams(params)}`);
  const account = ACCOUNTS[options.account ?? 'alice'];
  for (let step = 0; step < 12; step++) {
    if (res.status !== 302 && res.status !== 303) return { status: res.status, body: await res.text(), verifier, redirectUri, clientId, browser };
    const location = new URL(res.headers.get('location') ?? '', server.url);
    if (location.href.startsWith(redirectUri)) return { redirect: location, status: res.status, verifier, redirectUri, clientId, browser };
    await res.arrayBuffer();
    const interaction = /\/auth\/interaction\/([^/?]+)$/.exec(location.pathname);
    if (!interaction) {
      res = await browser.get(location.href);
      continue;
    }
    const page = await browser.get(location.href);
    const html = await page.text();
    const pageUrl = `${location.origin}${location.pathname}`;
    if (html.includes('name="password"')) {
      res = await browser.postForm(`${pageUrl}/login`, { username: account.username, password: account.password });
      continue;
    }
    if (html.includes('name="decision"')) {
      const form: Record<string, string> = { decision: options.decision ?? 'allow' };
      if (options.patient) form.patient = options.patient;
      res = await browser.postForm(`${pageUrl}/consent`, form);
      continue;
    }
    return { status: page.status, body: html, verifier, redirectUri, clientId, browser };
  }
  throw new Error('authorization did not finish');
}

/** Exchanges an authorization code at the token endpoint as a public client. */
export function exchangeCode(server: RunningServer, result: AuthorizeResult, extra: Record<string, string> = {}, headers: Record<string, string> = {}) {
  const code = result.redirect?.searchParams.get('code');
  if (!code) throw new Error(`no code: ${result.redirect?.href ?? result.body}`);
  return tokenRequest(
    server,
    {
      grant_type: 'authorization_code',
      code,
      redirect_uri: result.redirectUri,
      client_id: result.clientId,
      ...(result.verifier ? { code_verifier: result.verifier } : {}),
      ...extra,
    },
    headers,
  );
}

/** An access token of the test EHR client for `account`: what the EHR sandbox holds to create launches. */
export async function ehrToken(server: RunningServer, account: keyof typeof ACCOUNTS = 'alice'): Promise<string> {
  const result = await authorize(server, {
    clientId: 'test-ehr',
    redirectUri: `${server.url}/test-ehr/`,
    scope: 'openid fhirUser user/Patient.rs user/Encounter.rs',
    account,
  });
  const { status, body } = await exchangeCode(server, result);
  if (status !== 200) throw new Error(`EHR token refused: ${JSON.stringify(body)}`);
  return String(body.access_token);
}

/** Opens an EHR launch as the test EHR (POST /auth/launch). */
export async function createLaunch(server: RunningServer, token: string, body: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${server.url}/auth/launch`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
