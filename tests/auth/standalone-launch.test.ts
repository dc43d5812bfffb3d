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
  });

  test('authorize by POST (authorize-post)', async () => {
    const result = await authorize(server, { scope: 'openid fhirUser user/*.rs', method: 'POST' });
    const { status, body } = await exchangeCode(server, result);
    expect(status).toBe(200);
    expect(body.scope).toBe('openid fhirUser user/*.rs');
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
