import { authorize, exchangeCode, pkce, TEST_SECRET, tokenRequest } from '../helpers/auth.js';
import { startAuthTestServer, type TestServer } from './test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startAuthTestServer();
});
afterAll(() => server.stop());

const basic = { authorization: `Basic ${Buffer.from(`test-confidential:${TEST_SECRET}`).toString('base64')}` };
const introspect = async (token: string) => {
  const res = await fetch(`${server.url}/auth/token/introspection`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...basic },
    body: new URLSearchParams({ token }).toString(),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
};
const fhirStatus = async (token: string) =>
  (await fetch(`${server.fhirBase}/Patient/p1`, { headers: { authorization: `Bearer ${token}` } })).status;

describe('refresh tokens (app-launch.html#refresh-access-token)', () => {
  test('offline_access without prompt is kept (oidc-provider would drop it) and refresh keeps or narrows scope', async () => {
    const result = await authorize(server, { scope: 'openid fhirUser launch/patient patient/*.rs offline_access', patient: 'p2' });
    const first = await exchangeCode(server, result);
    expect(first.body.refresh_token).toBeDefined();
    const same = await tokenRequest(server, { grant_type: 'refresh_token', refresh_token: String(first.body.refresh_token), client_id: 'test-app' });
    expect(same.status).toBe(200);
    expect(same.body.scope).toBe(first.body.scope);
    expect(same.body.patient).toBe('p2');
    expect(same.headers.get('cache-control')).toBe('no-store');
    const rt = String(same.body.refresh_token ?? first.body.refresh_token);
    const narrowed = await tokenRequest(server, { grant_type: 'refresh_token', refresh_token: rt, client_id: 'test-app', scope: 'openid patient/*.rs' });
    expect(narrowed.status).toBe(200);
    expect(narrowed.body.scope).toBe('openid patient/*.rs');
    const rt2 = String(narrowed.body.refresh_token ?? rt);
    const widened = await tokenRequest(server, { grant_type: 'refresh_token', refresh_token: rt2, client_id: 'test-app', scope: 'openid patient/*.rs user/*.cruds' });
    expect(widened.status).toBe(400);
    expect(widened.body.error).toBe('invalid_scope');
  });

  test('online_access also yields a refresh token; no refresh scope, no refresh token', async () => {
    const online = await exchangeCode(server, await authorize(server, { scope: 'openid user/*.rs online_access' }));
    expect(online.body.refresh_token).toBeDefined();
    const none = await exchangeCode(server, await authorize(server, { scope: 'openid user/*.rs' }));
    expect(none.body.refresh_token).toBeUndefined();
  });
});

describe('introspection and revocation (token-introspection.html, RFC 7009)', () => {
  test('introspection reports what the token response said; revocation ends access', async () => {
    const result = await authorize(server, { clientId: 'test-confidential', scope: 'openid fhirUser launch/patient patient/*.rs', patient: 'p1' });
    const code = result.redirect?.searchParams.get('code') ?? '';
    const token = await tokenRequest(server, { grant_type: 'authorization_code', code, redirect_uri: result.redirectUri, code_verifier: result.verifier ?? '' }, basic);
    expect(token.status).toBe(200);
    const at = String(token.body.access_token);
    const info = await introspect(at);
    // Trap: JWT access tokens cannot be introspected by oidc-provider; tokens here are opaque.
    expect(at.split('.')).toHaveLength(1);
    expect(info).toMatchObject({ active: true, scope: token.body.scope, client_id: 'test-confidential', sub: 'alice', patient: 'p1', fhirUser: `${server.fhirBase}/Practitioner/alice`, iss: `${server.url}/auth` });
    expect(Math.abs(Number(info.exp) - (Math.floor(Date.now() / 1000) + Number(token.body.expires_in)))).toBeLessThanOrEqual(2);
    expect(await fhirStatus(at)).toBe(200);
    // A backend services token may introspect any client's token (token-introspection.html#authorization-...).
    const { backendToken } = await import('../helpers/auth.js');
    const bearer = async (caller: string) =>
      fetch(`${server.url}/auth/token/introspection`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${caller}` },
        body: new URLSearchParams({ token: at }).toString(),
      });
    const byBackend = await bearer(await backendToken(server, 'system/Patient.rs'));
    expect(byBackend.status).toBe(200);
    const viaBearer = (await byBackend.json()) as Record<string, unknown>;
    for (const key of ['active', 'scope', 'client_id', 'exp', 'sub', 'iss', 'patient', 'fhirUser']) expect(viaBearer[key]).toEqual(info[key]);
    expect((await bearer(at)).status).toBe(403);
    expect((await bearer('not-a-token')).status).toBe(401);
    const revoke = await fetch(`${server.url}/auth/token/revocation`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...basic },
      body: new URLSearchParams({ token: at }).toString(),
    });
    expect(revoke.status).toBe(200);
    expect((await introspect(at)).active).toBe(false);
    expect(await fhirStatus(at)).toBe(401);
  });
});

describe('authorization request refusals', () => {
  test('wrong or missing aud', async () => {
    const wrong = await authorize(server, { scope: 'openid user/*.rs', aud: 'https://elsewhere.example.org/fhir' });
    expect(wrong.redirect?.searchParams.get('error')).toBe('invalid_request');
    expect(wrong.redirect?.searchParams.get('error_description')).toMatch(/aud/);
    const missing = await authorize(server, { scope: 'openid user/*.rs', aud: '' });
    expect(missing.redirect?.searchParams.get('error')).toBe('invalid_request');
  });

  test('PKCE: required, S256 only', async () => {
    const none = await authorize(server, { scope: 'openid user/*.rs', pkce: null });
    expect(none.redirect?.searchParams.get('error')).toBe('invalid_request');
    const { challenge } = pkce();
    const plain = await authorize(server, { scope: 'openid user/*.rs', pkce: { challenge, method: 'plain' } });
    expect(plain.redirect?.searchParams.get('error')).toBe('invalid_request');
    // Confidential clients too: SMART 2 requires PKCE of every app.
    const confidential = await authorize(server, { clientId: 'test-confidential', scope: 'openid user/*.rs', pkce: null });
    expect(confidential.redirect?.searchParams.get('error')).toBe('invalid_request');
  });

  test('a resource indicator for another server is refused (the FHIR base is the only resource)', async () => {
    const result = await authorize(server, { scope: 'openid user/*.rs', extra: { resource: 'https://elsewhere.example.org/fhir' } });
    expect(result.redirect?.searchParams.get('error')).toBe('invalid_target');
  });

  test('an unregistered redirect_uri is refused without redirecting there', async () => {
    const result = await authorize(server, { scope: 'openid user/*.rs', redirectUri: 'https://attacker.example.org/cb' });
    expect(result.redirect).toBeUndefined();
    expect(result.status).toBe(400);
  });

  test('a request that would grant nothing is refused rather than answered with an empty scope', async () => {
    const result = await authorize(server, { scope: 'profile' });
    expect(result.redirect?.searchParams.get('error')).toBe('invalid_scope');
  });

  test('patient scopes without a patient are not granted', async () => {
    const result = await authorize(server, { scope: 'openid patient/*.rs' });
    expect(result.redirect?.searchParams.get('error')).toBe('invalid_request');
  });
});

describe('token request refusals', () => {
  test('wrong verifier, reused code, wrong redirect_uri', async () => {
    const wrongVerifier = await authorize(server, { scope: 'openid user/*.rs' });
    const r1 = await exchangeCode(server, wrongVerifier, { code_verifier: pkce().verifier });
    expect(r1.status).toBe(400);
    expect(r1.body.error).toBe('invalid_grant');

    const reused = await authorize(server, { scope: 'openid user/*.rs' });
    const ok = await exchangeCode(server, reused);
    expect(ok.status).toBe(200);
    const again = await exchangeCode(server, reused);
    expect(again.status).toBe(400);
    expect(again.body.error).toBe('invalid_grant');
    // Reusing a code revokes what it issued (RFC 6749 4.1.2).
    expect(await fhirStatus(String(ok.body.access_token))).toBe(401);

    const wrongRedirect = await authorize(server, { scope: 'openid user/*.rs' });
    const r3 = await exchangeCode(server, wrongRedirect, { redirect_uri: `${server.url}/test-app/other` });
    expect(r3.status).toBe(400);
    expect(r3.body.error).toBe('invalid_grant');
  });

  test('CORS for browser apps at the token endpoint: registered origin only', async () => {
    const preflight = (origin: string) =>
      fetch(`${server.url}/auth/token`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
    expect((await preflight(server.url)).headers.get('access-control-allow-origin')).toBe(server.url);
    const result = await authorize(server, { scope: 'openid user/*.rs' });
    const token = await exchangeCode(server, result, {}, { origin: 'https://evil.example.org' });
    expect(token.status).toBe(400);
    const good = await authorize(server, { scope: 'openid user/*.rs' });
    const ok = await exchangeCode(server, good, {}, { origin: server.url });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe(server.url);
  });
});

describe('expired tokens (app-launch.html#response-5: an expired token SHALL NOT be accepted)', () => {
  test('a token past expires_in gets 401', async () => {
    const short = await startAuthTestServer({ ACCESS_TOKEN_TTL: '1' });
    try {
      const { body } = await exchangeCode(short, await authorize(short, { scope: 'openid user/*.rs' }));
      expect(body.expires_in).toBe(1);
      await new Promise((r) => setTimeout(r, 2100));
      const res = await fetch(`${short.fhirBase}/Patient/p1`, { headers: { authorization: `Bearer ${body.access_token}` } });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
      const info = await fetch(`${short.url}/auth/token/introspection`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...basic },
        body: new URLSearchParams({ token: String(body.access_token) }).toString(),
      });
      // oidc-provider's clock tolerance (15 s) may still report it active; the resource server never accepts it.
      expect(info.status).toBe(200);
    } finally {
      await short.stop();
    }
  });
});
