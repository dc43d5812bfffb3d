import { randomBytes } from 'node:crypto';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../../src/config/config.js';
import { silentLogger } from '../../src/logger.js';
import { startServer, type RunningServer } from '../../src/main.js';
import { authorize, backendToken, exchangeCode, TEST_SECRET, testAuthSettings, tokenRequest } from '../helpers/auth.js';

// Two servers over one PostgreSQL database behind one public URL (a switchable proxy stands in for the load
// balancer): what one issues, the other honours.
const admin = 'postgres://postgres@127.0.0.1:5432/test';
const database = `auth_shared_${randomBytes(4).toString('hex')}`;
let a: RunningServer;
let b: RunningServer;
let dir: string;
let proxy: Server;
let target = 0;
const ports: number[] = [];

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });

beforeAll(async () => {
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${database}`);
  await client.end();
  dir = mkdtempSync(join(tmpdir(), 'auth-pg-'));
  ports.push(await freePort(), await freePort());
  proxy = createServer((req, res) => {
    const upstream = request({ host: '127.0.0.1', port: ports[target], path: req.url, method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', () => resolve()));
  const publicUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  const env = { DATA_DIR: dir, DEMO_DATA: 'false', PUBLIC_URL: publicUrl, DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${database}`, ...(await testAuthSettings(dir)) };
  // Both start together: the generated development secrets must still come out the same.
  [a, b] = await Promise.all([
    startServer(loadConfig({ ...env, PORT: String(ports[0]) }), silentLogger),
    startServer(loadConfig({ ...env, PORT: String(ports[1]) }), silentLogger),
  ]);
  const token = await backendToken(a);
  const res = await fetch(`${a.fhirBase}/Patient/p1`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/fhir+json' },
    body: JSON.stringify({ resourceType: 'Patient', id: 'p1' }),
  });
  expect(res.status).toBeLessThan(300);
});

afterAll(async () => {
  await a?.close();
  await b?.close();
  await new Promise<void>((resolve) => proxy?.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${database}`);
  await client.end();
});

test('both processes publish the same signing keys', async () => {
  const jwks = async (which: number) => {
    target = which;
    return (await fetch(`${a.url}/auth/jwks`)).json();
  };
  expect(await jwks(0)).toEqual(await jwks(1));
});

test('a code from one process is exchanged at the other; tokens and jti replay are shared', async () => {
  target = 0;
  const result = await authorize(a, { scope: 'openid fhirUser launch/patient patient/*.rs offline_access', patient: 'p1' });
  target = 1;
  const token = await exchangeCode(b, result);
  expect(token.status).toBe(200);
  expect(token.body.patient).toBe('p1');
  target = 0;
  const read = await fetch(`${a.fhirBase}/Patient/p1`, { headers: { authorization: `Bearer ${token.body.access_token}` } });
  expect(read.status).toBe(200);
  target = 1;
  const refreshed = await tokenRequest(b, { grant_type: 'refresh_token', refresh_token: String(token.body.refresh_token), client_id: 'test-app' });
  expect(refreshed.status).toBe(200);
  const { clientAssertion, testKeys } = await import('../helpers/auth.js');
  const form = {
    grant_type: 'client_credentials',
    scope: 'system/Patient.rs',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: await clientAssertion(b, 'test-backend', (await testKeys()).es384),
  };
  const backend = await tokenRequest(b, form);
  expect(backend.status).toBe(200);
  target = 0;
  expect((await fetch(`${a.fhirBase}/Patient/p1`, { headers: { authorization: `Bearer ${backend.body.access_token}` } })).status).toBe(200);
  // The same assertion replayed at the other process is refused: replay detection is in the shared database.
  expect((await tokenRequest(a, form)).body.error).toBe('invalid_client');
});

test('a token revoked at one process stops working at the other, which had already accepted it', async () => {
  target = 0;
  const result = await authorize(a, { clientId: 'test-confidential', scope: 'openid fhirUser launch/patient patient/*.rs', patient: 'p1' });
  const basic = { authorization: `Basic ${Buffer.from(`test-confidential:${TEST_SECRET}`).toString('base64')}` };
  const token = await exchangeCode(a, result, {}, basic);
  expect(token.status).toBe(200);
  const read = () => fetch(`${a.fhirBase}/Patient/p1`, { headers: { authorization: `Bearer ${token.body.access_token}` } }).then((r) => r.status);
  target = 1;
  // Twice: the second call is answered from what process 1 remembers of the token.
  expect([await read(), await read()]).toEqual([200, 200]);
  target = 0;
  const revoke = await fetch(`${a.url}/auth/token/revocation`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...basic },
    body: new URLSearchParams({ token: String(token.body.access_token) }).toString(),
  });
  expect(revoke.status).toBe(200);
  target = 1;
  // The announcement travels by NOTIFY, asynchronously: wait for it, a few seconds at most.
  let status = await read();
  for (let i = 0; status === 200 && i < 50; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    status = await read();
  }
  expect(status).toBe(401);
});
