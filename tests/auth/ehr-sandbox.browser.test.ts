import { chromium, type Browser } from 'playwright-core';
import { startAuthTestServer, type TestServer } from './test-server.js';
import { startTestApp } from './test-app.js';

// A real browser through the EHR sandbox: the practitioner signs in, picks a patient and an app on another origin,
// and the app completes its EHR launch (CORS, PKCE, launch context) and reads the patient.
let server: TestServer;
let app: Awaited<ReturnType<typeof startTestApp>>;
let browser: Browser;

beforeAll(async () => {
  app = await startTestApp();
  server = await startAuthTestServer({}, [
    { client_id: 'browser-app', kind: 'public', name: 'Browser test app', redirect_uris: [`${app.origin}/callback`], launch_url: `${app.origin}/launch`, scope: 'launch openid fhirUser patient/*.rs' },
  ]);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}, 60000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await app?.close();
});

test('EHR sandbox launches an app in an iframe with the chosen patient', async () => {
  const page = await browser.newPage({ locale: 'en-CA' });
  await page.goto(`${server.url}/ehr/?lang=en`);
  await page.getByRole('button', { name: 'Sign in as a practitioner' }).click();
  await page.getByLabel('Username').fill('alice');
  await page.getByLabel('Password').fill('alice-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Allow' }).click();
  await page.locator('#signed-in:not([hidden])').waitFor();
  await page.locator('#patient').selectOption('p2');
  await page.locator('#app').selectOption('browser-app');
  await page.getByRole('button', { name: 'Launch' }).click();
  await page.waitForFunction(() => (document.getElementById('launched')?.textContent ?? '').includes('launch='));
  const frame = page.frameLocator('#app-frame');
  // Over plain http the sign-in cookie is not kept across sites (SameSite=None needs https): sign in again.
  const username = frame.getByLabel('Username');
  await frame.locator('#username, button[value="allow"]').first().waitFor({ timeout: 20000 });
  if (await username.isVisible()) {
    await username.fill('alice');
    await frame.getByLabel('Password').fill('alice-password');
    await frame.getByRole('button', { name: 'Sign in' }).click();
  }
  await frame.getByRole('button', { name: 'Allow' }).click();
  const result = frame.locator('#result');
  await result.filter({ hasText: 'patient' }).waitFor({ timeout: 15000 });
  const got = JSON.parse(await result.textContent() ?? '{}') as { state: string; token: Record<string, unknown>; patient: { id: string } };
  expect(got.state).toBe('app-state');
  expect(got.token.patient).toBe('p2');
  expect(got.token.need_patient_banner).toBe(false);
  expect(got.token.smart_style_url).toBe(`${server.url}/ehr/smart-style.json`);
  expect(got.patient.id).toBe('p2');
}, 60000);
