import { randomUUID } from 'node:crypto';
import { authorize, backendToken, clientAssertion, exchangeCode, testKeys, tokenRequest } from '../helpers/auth.js';
import { startAuthTestServer, type TestServer } from './test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startAuthTestServer();
});
afterAll(() => server.stop());

const assertionType = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** A client_credentials token request authenticated by a signed client assertion. */
const clientCredentials = (scope: string, assertion: string) =>
  tokenRequest(server, { grant_type: 'client_credentials', scope, client_assertion_type: assertionType, client_assertion: assertion });

describe('SMART Backend Services (backend-services.html)', () => {
  test.each([
    ['ES384', 'test-backend', 'system/Patient.rs'],
    ['RS384', 'test-backend-rs384', 'system/Patient.rs system/Observation.rs'],
  ])('%s client assertion: short-lived token with the granted scope, no refresh token', async (_alg, clientId, scope) => {
    const keys = await testKeys();
    const key = clientId === 'test-backend' ? keys.es384 : keys.rs384;
    const { status, body, headers } = await clientCredentials(scope, await clientAssertion(server, clientId, key));
    expect(status).toBe(200);
    expect(headers.get('cache-control')).toBe('no-store');
    expect(body.token_type).toBe('Bearer');
    expect(body.scope).toBe(scope);
    expect(body.expires_in).toBeLessThanOrEqual(300);
    expect(body.refresh_token).toBeUndefined();
    const read = await fetch(`${server.fhirBase}/Patient/p1`, { headers: { authorization: `Bearer ${body.access_token}` } });
    expect(read.status).toBe(200);
  });

  test('the requested scope is mediated against the pre-authorized scope', async () => {
    const keys = await testKeys();
    const partly = await clientCredentials('system/Patient.rs system/CarePlan.rs', await clientAssertion(server, 'test-backend-rs384', keys.rs384));
    expect(partly.status).toBe(200);
    expect(partly.body.scope).toBe('system/Patient.rs');
    const nothing = await clientCredentials('system/CarePlan.cruds', await clientAssertion(server, 'test-backend-rs384', keys.rs384));
    expect(nothing.status).toBe(400);
    expect(nothing.body.error).toBe('invalid_scope');
    const userScope = await clientCredentials('user/Patient.rs', await clientAssertion(server, 'test-backend', keys.es384));
    expect(userScope.status).toBe(400);
  });

  test('a replayed jti is refused (client-confidential-asymmetric.html#signature-verification)', async () => {
    const keys = await testKeys();
    const assertion = await clientAssertion(server, 'test-backend', keys.es384, { jti: randomUUID() });
    expect((await clientCredentials('system/Patient.rs', assertion)).status).toBe(200);
    const replay = await clientCredentials('system/Patient.rs', assertion);
    expect(replay.status).toBe(401);
    expect(replay.body.error).toBe('invalid_client');
  });

  test('invalid assertions: wrong key, wrong audience, expired, unknown client', async () => {
    const keys = await testKeys();
    const attempt = (assertion: string) => clientCredentials('system/Patient.rs', assertion);
    const wrongKey = await attempt(await clientAssertion(server, 'test-backend', keys.rs384));
    expect(wrongKey.body.error).toBe('invalid_client');
    const wrongAud = await attempt(await clientAssertion(server, 'test-backend', keys.es384, { aud: 'https://elsewhere.example.org/token' }));
    expect(wrongAud.body.error).toBe('invalid_client');
    const expired = await attempt(await clientAssertion(server, 'test-backend', keys.es384, { exp: Math.floor(Date.now() / 1000) - 120 }));
    expect(expired.body.error).toBe('invalid_client');
    const unknown = await attempt(await clientAssertion(server, 'nobody', keys.es384));
    expect(unknown.body.error).toBe('invalid_client');
  });

  test('asymmetric app client (private_key_jwt RS384) in the authorization code flow', async () => {
    const keys = await testKeys();
    const result = await authorize(server, { clientId: 'test-asymmetric', scope: 'openid fhirUser user/*.rs' });
    const { status, body } = await tokenRequest(server, {
      grant_type: 'authorization_code',
      code: result.redirect?.searchParams.get('code') ?? '',
      redirect_uri: result.redirectUri,
      code_verifier: result.verifier ?? '',
      client_assertion_type: assertionType,
      client_assertion: await clientAssertion(server, 'test-asymmetric', keys.rs384),
    });
    expect(status).toBe(200);
    expect(body.scope).toBe('openid fhirUser user/*.rs');
  });

  test('a public client cannot use client_credentials', async () => {
    const res = await tokenRequest(server, { grant_type: 'client_credentials', scope: 'system/Patient.rs', client_id: 'test-app' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    const ok = await exchangeCode(server, await authorize(server, { scope: 'openid user/*.rs' }));
    expect(ok.status).toBe(200);
  });
});

describe('the FHIR API requires a bearer token (RFC 6750)', () => {
  test('missing, malformed and unknown tokens get 401 with WWW-Authenticate; metadata and discovery stay open', async () => {
    const missing = await fetch(`${server.fhirBase}/Patient`);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe(`Bearer realm="${server.fhirBase}"`);
    expect(((await missing.json()) as { resourceType: string }).resourceType).toBe('OperationOutcome');
    const malformed = await fetch(`${server.fhirBase}/Patient`, { headers: { authorization: 'Basic abc' } });
    expect(malformed.status).toBe(401);
    expect(malformed.headers.get('www-authenticate')).toMatch(/error="invalid_request"/);
    const unknown = await fetch(`${server.fhirBase}/Patient`, { headers: { authorization: 'Bearer not-a-token' } });
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    const write = await fetch(`${server.fhirBase}/Patient/p9`, { method: 'PUT', headers: { 'content-type': 'application/fhir+json' }, body: '{"resourceType":"Patient","id":"p9"}' });
    expect(write.status).toBe(401);
    expect((await fetch(`${server.fhirBase}/metadata`)).status).toBe(200);
    expect((await fetch(`${server.fhirBase}/.well-known/smart-configuration`)).status).toBe(200);
  });

  test('backendToken helper gives a token that works', async () => {
    const token = await backendToken(server, 'system/*.rs');
    expect((await fetch(`${server.fhirBase}/Patient/p1`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
  });
});
