// What the SMART authorization server adds: the app's token is bound to the launch's patient (another patient's data
// is refused, a forged launch ends in a visible error, not a crash), the EHR's style is applied, and an expired
// access token is refreshed (online_access) without the user noticing.
import type { Frame, Page } from 'playwright-core';
import { fhir, launchApp, PRACTITIONER, shot, startHarness, type Harness } from './smart-app-harness.js';

let harness: Harness;
let page: Page;
let app: Frame;

/** fhirclient's state in the app's sessionStorage (SMART_KEY names the entry). */
async function clientState(frame: Frame): Promise<{ expiresAt: number; tokenResponse: { access_token: string; refresh_token?: string; patient?: string; scope?: string } }> {
  return frame.evaluate(() => JSON.parse(sessionStorage.getItem(JSON.parse(sessionStorage.getItem('SMART_KEY')!))!));
}

// Access tokens of 15 s: fhirclient refreshes 10 s before expiry, so after 5 s the next request needs a refresh.
const TOKEN_TTL = 15;

beforeAll(async () => {
  harness = await startHarness({ ACCESS_TOKEN_TTL: String(TOKEN_TTL) });
  if (!harness.auth) throw new Error('These tests need the SMART authorization server (branch auth merged into main)');
  page = await harness.browser.newPage({ viewport: { width: 1024, height: 700 }, locale: 'fr-CA' });
  page.setDefaultTimeout(15000);
  ({ app, page } = await launchApp(harness, page, { patient: 'lucie-gagnon', embedded: false }));
}, 120000);

afterAll(async () => {
  await harness?.close();
});

test('the app asks for the least it needs and gets a token for the launch patient with a refresh token', async () => {
  const state = await clientState(app);
  expect(state.tokenResponse.patient).toBe('lucie-gagnon');
  expect(state.tokenResponse.refresh_token).toBeTruthy();
  const scopes = state.tokenResponse.scope!.split(' ');
  expect(scopes).toEqual(expect.arrayContaining(['launch', 'online_access', 'patient/CareTeam.crus', 'user/RelatedPerson.rs']));
  expect(scopes.filter((s) => /\.c?r?u?d/.test(s) && /d/.test(s.split('.')[1] ?? ''))).toEqual([]); // never delete
  expect(scopes).not.toContain('offline_access');
});

test("another patient's data is refused with the app's token (wrong patient context)", async () => {
  const token = (await clientState(app)).tokenResponse.access_token;
  const other = await fhir(harness, 'Patient', { body: { resourceType: 'Patient', name: [{ family: 'Autre', given: ['Paul'] }] } });
  expect(other.status).toBe(201);
  const read = await fhir(harness, `Patient/${other.body.id}`, { token });
  expect(read.status).toBe(403);
  const write = await fhir(harness, 'CareTeam', {
    token,
    body: { resourceType: 'CareTeam', status: 'active', subject: { reference: `Patient/${other.body.id}` }, participant: [{ member: { reference: `Patient/${other.body.id}` } }] },
  });
  expect(write.status).toBe(403);
  const mine = await fhir(harness, 'CareTeam?subject=Patient/lucie-gagnon', { token });
  expect(mine.status).toBe(200);
});

test('a launch the server does not know ends in a visible error, not a crash', async () => {
  const context = await harness.browser.newContext({ viewport: { width: 1024, height: 700 }, locale: 'fr-CA' });
  const tab = await context.newPage();
  const fhirBase = harness.server.fhirBase;
  await tab.goto(`${harness.server.url}/smart-app/launch.html?iss=${encodeURIComponent(fhirBase)}&launch=forged-launch-id`);
  await tab.waitForLoadState('networkidle');
  if (await tab.locator('#username').count()) {
    await tab.locator('#username').fill(PRACTITIONER.username);
    await tab.locator('#password').fill(PRACTITIONER.password);
    await tab.locator('button[type=submit]').click();
    await tab.waitForLoadState('networkidle');
  }
  await shot(tab, 'auth-01-forged-launch');
  // The authorization server sends the app an OAuth error; fhirclient's ready() rejects and the app says so.
  await expect(tab.getByRole('alert').textContent()).resolves.toContain("Le lancement de l'application a échoué");
  await expect(tab.getByRole('alert').textContent()).resolves.toContain('launch is unknown');
  expect(await tab.locator('body[data-ready="error"]').count()).toBe(1);
  await context.close();
});

test('standalone launch: no launch context, the server asks for the patient, the app opens on that patient', async () => {
  const context = await harness.browser.newContext({ viewport: { width: 1024, height: 700 }, locale: 'fr-CA' });
  const tab = await context.newPage();
  await tab.goto(`${harness.server.url}/smart-app/launch.html`);
  await tab.locator('#username').fill(PRACTITIONER.username);
  await tab.locator('#password').fill(PRACTITIONER.password);
  await tab.locator('button[type=submit]').click();
  await tab.locator('select#patient').selectOption('lucie-gagnon');
  await shot(tab, 'auth-02-standalone-patient-picker');
  await tab.locator('button[name=decision][value=allow]').click();
  await tab.waitForSelector('body[data-ready="true"]');
  await expect(tab.getByRole('region', { name: 'Patient' }).textContent()).resolves.toContain('Lucie Gagnon');
  const scopes = (await clientState(tab.mainFrame())).tokenResponse.scope!.split(' ');
  expect(scopes).toContain('launch/patient');
  expect(scopes).not.toContain('launch');
  await context.close();
});

test("the EHR's smart_style_url is applied as CSS variables", async () => {
  await expect(app.evaluate(() => document.documentElement.dataset.smartStyle)).resolves.toBe('applied');
  await expect(app.evaluate(() => document.documentElement.style.getPropertyValue('--accent'))).resolves.toBe('#1a5fb4');
});

test('an expired access token is refreshed before the next request, and the work goes on', async () => {
  const before = await clientState(app);
  const wait = before.expiresAt - 10 - Date.now() / 1000;
  if (wait > 0) await page.waitForTimeout(wait * 1000 + 500);
  const refreshes: string[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/auth/token') && (r.postData() ?? '').includes('grant_type=refresh_token')) refreshes.push(r.url());
  });
  await app.getByRole('button', { name: 'Consentements' }).click();
  await app.getByRole('button', { name: 'Enregistrer le consentement' }).click();
  await app.getByRole('status').filter({ hasText: 'Consentement au partage avec' }).waitFor();
  expect(refreshes).toHaveLength(1);
  const after = await clientState(app);
  expect(after.tokenResponse.access_token).not.toBe(before.tokenResponse.access_token);
  expect(after.expiresAt).toBeGreaterThan(Date.now() / 1000);
});
