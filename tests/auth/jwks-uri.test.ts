import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { clientAssertion, testKeys, tokenRequest } from '../helpers/auth.js';
import { startAuthTestServer, type TestServer } from './test-server.js';

// client-confidential-asymmetric.html#registering-a-client-communicating-public-keys: a client may register a JWK Set
// URL instead of the keys; the server fetches it (and honours its caching headers).
let server: TestServer;
let jwksHost: Server;
let fetches = 0;

beforeAll(async () => {
  const { es384 } = await testKeys();
  jwksHost = createServer((_req, res) => {
    fetches++;
    res.setHeader('content-type', 'application/json');
    res.setHeader('cache-control', 'max-age=60');
    res.end(JSON.stringify({ keys: [es384.publicJwk] }));
  });
  await new Promise<void>((resolve) => jwksHost.listen(0, '127.0.0.1', () => resolve()));
  const jwksUri = `http://127.0.0.1:${(jwksHost.address() as AddressInfo).port}/jwks.json`;
  server = await startAuthTestServer({}, [{ client_id: 'jwks-uri-backend', kind: 'backend', name: 'Backend with jwks_uri', jwks_uri: jwksUri, scope: 'system/Patient.rs' }]);
});

afterAll(async () => {
  await server?.stop();
  await new Promise<void>((resolve) => jwksHost.close(() => resolve()));
});

test('a backend client registered with jwks_uri gets a token; its key set is fetched, then cached', async () => {
  const { es384 } = await testKeys();
  const ask = async () =>
    tokenRequest(server, {
      grant_type: 'client_credentials',
      scope: 'system/Patient.rs',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: await clientAssertion(server, 'jwks-uri-backend', es384),
    });
  const first = await ask();
  expect(first.status).toBe(200);
  expect(first.body.scope).toBe('system/Patient.rs');
  expect((await ask()).status).toBe(200);
  expect(fetches).toBe(1);
});
