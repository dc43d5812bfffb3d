import { startAuthTestServer, type TestServer } from './test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startAuthTestServer();
});
afterAll(() => server.stop());

describe('discovery (conformance.html#using-well-known)', () => {
  test('smart-configuration is JSON whatever the Accept header, with absolute URLs', async () => {
    const res = await fetch(`${server.fhirBase}/.well-known/smart-configuration`, { headers: { accept: 'text/html', origin: 'https://any.example.org' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const doc = (await res.json()) as Record<string, unknown>;
    for (const key of ['issuer', 'jwks_uri', 'authorization_endpoint', 'token_endpoint', 'introspection_endpoint', 'revocation_endpoint']) {
      expect(String(doc[key])).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/auth/);
    }
    expect(doc.code_challenge_methods_supported).toEqual(['S256']);
    expect(doc.grant_types_supported).toEqual(expect.arrayContaining(['authorization_code', 'client_credentials']));
    expect(doc.token_endpoint_auth_methods_supported).toEqual(expect.arrayContaining(['private_key_jwt', 'client_secret_basic']));
    expect(doc.token_endpoint_auth_signing_alg_values_supported).toEqual(expect.arrayContaining(['RS384', 'ES384']));
    expect(doc.capabilities).toEqual(expect.arrayContaining(['launch-ehr', 'launch-standalone', 'client-public', 'client-confidential-asymmetric', 'sso-openid-connect', 'permission-v2', 'authorize-post']));
    expect(doc.scopes_supported).toEqual(expect.arrayContaining(['openid', 'fhirUser', 'launch', 'launch/patient', 'offline_access']));
  });

  test('OpenID configuration and JWKS are published; the JWKS holds public keys only', async () => {
    const oidc = (await (await fetch(`${server.url}/auth/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(oidc.issuer).toBe(`${server.url}/auth`);
    expect(oidc.id_token_signing_alg_values_supported).toEqual(['RS256']);
    const jwks = (await (await fetch(String(oidc.jwks_uri))).json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys.some((k) => k.kty === 'RSA')).toBe(true);
    expect(jwks.keys.every((k) => k.d === undefined)).toBe(true);
  });

  test('the CapabilityStatement names the SMART service and the OAuth endpoints', async () => {
    const cs = (await (await fetch(`${server.fhirBase}/metadata`)).json()) as { rest: { security: { service: { coding: { code: string }[] }[]; extension: { url: string; extension: { url: string; valueUri: string }[] }[] } }[] };
    const security = cs.rest[0].security;
    expect(security.service[0].coding[0].code).toBe('SMART-on-FHIR');
    const uris = Object.fromEntries(security.extension[0].extension.map((e) => [e.url, e.valueUri]));
    expect(uris.authorize).toBe(`${server.url}/auth/authorize`);
    expect(uris.token).toBe(`${server.url}/auth/token`);
  });

  test('the sign-in page is offered in French and English', async () => {
    const { Browser, pkce } = await import('../helpers/auth.js');
    const browser = new Browser();
    const q = new URLSearchParams({ response_type: 'code', client_id: 'test-app', redirect_uri: `${server.url}/test-app/callback`, scope: 'openid user/*.rs', state: 's', aud: server.fhirBase, code_challenge: pkce().challenge, code_challenge_method: 'S256' });
    const start = await browser.get(`${server.url}/auth/authorize?${q}`);
    const page = new URL(start.headers.get('location') ?? '', server.url).href;
    const fr = await (await browser.request(page, { headers: { 'accept-language': 'fr-CA' } })).text();
    expect(fr).toContain('<html lang="fr">');
    expect(fr).toContain('Mot de passe');
    expect(fr).toContain('<label for="password">');
    const en = await (await browser.get(`${page}?lang=en`)).text();
    expect(en).toContain('<html lang="en">');
    expect(en).toContain('Password');
  });
});

describe('sign-in', () => {
  test('repeated wrong passwords lock the username out, even with the right password next', async () => {
    const { Browser, pkce, ACCOUNTS } = await import('../helpers/auth.js');
    const browser = new Browser();
    const q = new URLSearchParams({ response_type: 'code', client_id: 'test-app', redirect_uri: `${server.url}/test-app/callback`, scope: 'openid user/*.rs', state: 's', aud: server.fhirBase, code_challenge: pkce().challenge, code_challenge_method: 'S256' });
    const start = await browser.get(`${server.url}/auth/authorize?${q}`);
    const page = new URL(start.headers.get('location') ?? '', server.url);
    const login = (password: string) => browser.postForm(`${page.origin}${page.pathname}/login`, { username: 'bob', password });
    for (let i = 0; i < 5; i++) expect((await login('wrong')).headers.get('location')).toContain('failed=1');
    expect((await login(ACCOUNTS.bob.password)).headers.get('location')).toContain('failed=1');
  });
});
