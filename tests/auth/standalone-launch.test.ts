import { decodeJwt, decodeProtectedHeader } from 'jose';
import { authorize, exchangeCode, tokenRequest } from '../helpers/auth.js';
import { startAuthTestServer, type TestServer } from './test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startAuthTestServer();
});
afterAll(() => server.stop());

describe('standalone launch (app-launch.html#launch-app-standalone-launch)', () => {
  test('patient picker, token with context, id_token with fhirUser, FHIR access', async () => {
    const result = await authorize(server, { scope: 'openid fhirUser launch/patient patient/*.rs offline_access', patient: 'p1', state: 'st-1' });
    expect(result.redirect?.searchParams.get('state')).toBe('st-1');
    const { status, body, headers } = await exchangeCode(server, result);
    expect(status).toBe(200);
    expect(headers.get('cache-control')).toBe('no-store');
    expect(headers.get('pragma')).toBe('no-cache');
    expect(body.token_type).toBe('Bearer');
    expect(body.patient).toBe('p1');
    expect(body.need_patient_banner).toBe(true);
    expect(String(body.scope).split(' ').sort()).toEqual(['fhirUser', 'launch/patient', 'offline_access', 'openid', 'patient/*.rs']);
    expect(body.expires_in).toBeGreaterThan(0);
    expect(typeof body.refresh_token).toBe('string');
    const idToken = decodeJwt(String(body.id_token));
    expect(idToken.fhirUser).toBe(`${server.fhirBase}/Practitioner/alice`);
    expect(decodeProtectedHeader(String(body.id_token)).alg).toBe('RS256');
    const res = await fetch(`${server.fhirBase}/Patient/p1`, { headers: { authorization: `Bearer ${body.access_token}` } });
    expect(res.status).toBe(200);
    // The access context reaches the FHIR layer, which confines patient/ scopes to the launch patient.
    const other = await fetch(`${server.fhirBase}/Patient/p2`, { headers: { authorization: `Bearer ${body.access_token}` } });
    expect([403, 404]).toContain(other.status);
  });

  test('authorize by POST (authorize-post), offline_access kept there too', async () => {
    const result = await authorize(server, { scope: 'openid fhirUser user/*.rs offline_access', method: 'POST' });
    const { status, body } = await exchangeCode(server, result);
    expect(status).toBe(200);
    expect(body.scope).toBe('openid fhirUser user/*.rs offline_access');
    expect(body.refresh_token).toBeDefined();
  });

  test('the patient picker lists and searches patients', async () => {
    const { Browser, pkce } = await import('../helpers/auth.js');
    const browser = new Browser();
    const q = new URLSearchParams({ response_type: 'code', client_id: 'test-app', redirect_uri: `${server.url}/test-app/callback`, scope: 'openid launch/patient patient/*.rs', state: 's', aud: server.fhirBase, code_challenge: pkce().challenge, code_challenge_method: 'S256' });
    const start = await browser.get(`${server.url}/auth/authorize?${q}`);
    const page = new URL(start.headers.get('location') ?? '', server.url);
    await browser.postForm(`${page.origin}${page.pathname}/login`, { username: 'alice', password: 'alice-password' });
    const all = await (await browser.get(`${page.href}?lang=en`)).text();
    expect(all).toContain('value="p1"');
    expect(all).toContain('Marie Gagnon (1950-03-02)');
    expect(all).toContain('value="p2"');
    const found = await (await browser.get(`${page.href}?lang=en&q=Roy`)).text();
    expect(found).toContain('value="p2"');
    expect(found).not.toContain('value="p1"');
  });

  test('a denied consent returns access_denied to the app', async () => {
    const result = await authorize(server, { scope: 'openid user/*.rs', decision: 'deny' });
    expect(result.redirect?.searchParams.get('error')).toBe('access_denied');
  });

  test('confidential symmetric client: client_secret_basic and client_secret_post', async () => {
    const { TEST_SECRET } = await import('../helpers/auth.js');
    const basic = await authorize(server, { clientId: 'test-confidential', scope: 'openid fhirUser user/*.rs' });
    const code = basic.redirect?.searchParams.get('code') ?? '';
    const res = await tokenRequest(
      server,
      { grant_type: 'authorization_code', code, redirect_uri: basic.redirectUri, code_verifier: basic.verifier ?? '' },
      { authorization: `Basic ${Buffer.from(`test-confidential:${TEST_SECRET}`).toString('base64')}` },
    );
    expect(res.status).toBe(200);
    const post = await authorize(server, { clientId: 'test-confidential-post', scope: 'openid user/*.rs' });
    const res2 = await tokenRequest(server, {
      grant_type: 'authorization_code',
      code: post.redirect?.searchParams.get('code') ?? '',
      redirect_uri: post.redirectUri,
      code_verifier: post.verifier ?? '',
      client_id: 'test-confidential-post',
      client_secret: TEST_SECRET,
    });
    expect(res2.status).toBe(200);
    const wrong = await authorize(server, { clientId: 'test-confidential-post', scope: 'openid user/*.rs' });
    const res3 = await tokenRequest(server, {
      grant_type: 'authorization_code',
      code: wrong.redirect?.searchParams.get('code') ?? '',
      redirect_uri: wrong.redirectUri,
      code_verifier: wrong.verifier ?? '',
      client_id: 'test-confidential-post',
      client_secret: 'not-the-secret',
    });
    expect(res3.status).toBe(401);
    expect(res3.body.error).toBe('invalid_client');
  });
});
