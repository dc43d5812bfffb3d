import { authorize, createLaunch, ehrToken, exchangeCode } from '../helpers/auth.js';
import { startAuthTestServer, type TestServer } from './test-server.js';

let server: TestServer;
let ehr: string;
beforeAll(async () => {
  server = await startAuthTestServer();
  ehr = await ehrToken(server, 'alice');
});
afterAll(() => server.stop());

const launchBody = {
  client_id: 'test-app',
  patient: 'p1',
  encounter: 'e1',
  need_patient_banner: false,
  smart_style_url: 'https://ehr.example.org/style.json',
  intent: 'reconcile-medications',
  fhirContext: [{ reference: 'CarePlan/cp1', role: 'https://example.org/role/plan' }],
};

async function newLaunch(body: Record<string, unknown> = launchBody): Promise<string> {
  const res = await createLaunch(server, ehr, body);
  expect(res.status).toBe(201);
  return String(res.body.launch);
}

describe('EHR launch (app-launch.html#launch-app-ehr-launch)', () => {
  test('the launch context comes back with the token', async () => {
    const launch = await newLaunch();
    const result = await authorize(server, { scope: 'launch openid fhirUser launch/encounter patient/*.rs', launch });
    const { status, body } = await exchangeCode(server, result);
    expect(status).toBe(200);
    const { client_id: _client, ...context } = launchBody; // every launch parameter but the app comes back
    expect(body).toMatchObject(context);
    expect(String(body.scope).split(' ').sort()).toEqual(['fhirUser', 'launch', 'launch/encounter', 'openid', 'patient/*.rs']);
    const read = await fetch(`${server.fhirBase}/Encounter/e1`, { headers: { authorization: `Bearer ${body.access_token}` } });
    expect(read.status).toBe(200);
  });

  test('a launch is single use', async () => {
    const launch = await newLaunch();
    const first = await authorize(server, { scope: 'launch openid patient/*.rs', launch });
    expect(first.redirect?.searchParams.get('code')).toBeTruthy();
    const again = await authorize(server, { scope: 'launch openid patient/*.rs', launch });
    expect(again.redirect?.searchParams.get('error')).toBe('invalid_request');
    expect(again.redirect?.searchParams.get('error_description')).toMatch(/launch/);
  });

  test('a launch made for another app is refused', async () => {
    const launch = await newLaunch();
    const result = await authorize(server, { clientId: 'other-app', scope: 'launch openid patient/*.rs', launch });
    expect(result.redirect?.searchParams.get('error')).toBe('invalid_request');
    expect(result.redirect?.searchParams.get('error_description')).toMatch(/another app/);
  });

  test('an unknown launch and the launch scope without launch are refused', async () => {
    const unknown = await authorize(server, { scope: 'launch openid patient/*.rs', launch: 'not-a-launch' });
    expect(unknown.redirect?.searchParams.get('error')).toBe('invalid_request');
    const missing = await authorize(server, { scope: 'launch openid patient/*.rs' });
    expect(missing.redirect?.searchParams.get('error')).toBe('invalid_request');
  });

  test('signing in as another user than the EHR launched as is denied', async () => {
    const launch = await newLaunch();
    const result = await authorize(server, { scope: 'launch openid patient/*.rs', launch, account: 'bob' });
    expect(result.redirect?.searchParams.get('error')).toBe('access_denied');
  });

  test('creating launches needs an EHR client token and valid context', async () => {
    const noToken = await fetch(`${server.url}/auth/launch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(launchBody) });
    expect(noToken.status).toBe(401);
    expect(noToken.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const app = await authorize(server, { scope: 'openid fhirUser user/*.rs' });
    const appToken = String((await exchangeCode(server, app)).body.access_token);
    const notEhr = await createLaunch(server, appToken, launchBody);
    expect(notEhr.status).toBe(403);
    expect(notEhr.body.error).toBe('insufficient_scope');
    const noPatient = await createLaunch(server, ehr, { ...launchBody, patient: 'nobody' });
    expect(noPatient.status).toBe(400);
    expect(noPatient.body.error).toBe('invalid_request');
    const badContext = await createLaunch(server, ehr, { ...launchBody, fhirContext: [{ reference: 'Patient/p1' }] });
    expect(badContext.status).toBe(400);
  });
});
