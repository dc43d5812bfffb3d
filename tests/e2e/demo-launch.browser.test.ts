// What `npm start` offers a first-time visitor, end to end in Chromium: the demo registry (config/clients.demo.json),
// the demo story, the EHR sandbox, the demo sign-in (sophie / demo) and the app on Lucie's chart.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { loadConfig } from '../../src/config/config.js';
import { silentLogger } from '../../src/logger.js';
import { startServer, type RunningServer } from '../../src/main.js';
import { buildIgForTest } from '../ig/ig-test-build.js';
import { buildAppOnce, shot, SHOTS } from './smart-app-harness.js';

let server: RunningServer;
let browser: Browser;
let dataDir: string;

beforeAll(async () => {
  const [ig] = await Promise.all([buildIgForTest(), buildAppOnce()]);
  dataDir = mkdtempSync(path.join(tmpdir(), 'demo-e2e-'));
  // The demo defaults: no CLIENTS_FILE, demo data on.
  server = await startServer(loadConfig({ PORT: '0', DATA_DIR: dataDir, IG_DIR: ig.igDir }), silentLogger);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  mkdirSync(SHOTS, { recursive: true });
}, 120000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test('the demo clinician launches the app on the demo patient from the EHR sandbox', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'fr-CA' });
  await page.goto(`${server.url}/ehr/`);
  await page.locator('#sign-in').click();
  await page.locator('#username').fill('sophie');
  await page.locator('#password').fill('demo');
  await page.locator('button[type=submit]').click();
  const allow = page.locator('button[name=decision][value=allow]');
  const signedIn = page.locator('#signed-in:not([hidden])');
  await allow.or(signedIn).first().waitFor();
  if (await allow.count()) await allow.click();
  await signedIn.waitFor();
  await page.locator('#patient').selectOption('lucie-gagnon');
  await page.locator('#app').selectOption('caring-community-app');
  await page.locator('#embedded').setChecked(true);
  await page.locator('#launch').click();
  const frame = (await (await page.waitForSelector('#app-frame:not([hidden])')).contentFrame())!;
  // Over plain http the browser drops the sign-in cookie (SameSite=None needs https), so the app's authorization
  // asks the clinician to sign in again inside the frame; behind https it would not.
  const username = frame.locator('#username');
  const appAllow = frame.locator('button[name=decision][value=allow]');
  const ready = frame.locator('body[data-ready="true"]');
  await username.or(appAllow).or(ready).first().waitFor();
  if (await username.count()) {
    await username.fill('sophie');
    await frame.locator('#password').fill('demo');
    await frame.locator('button[type=submit]').click();
    await username.waitFor({ state: 'detached' });
    await appAllow.or(ready).first().waitFor();
  }
  if (await appAllow.count()) await appAllow.click();
  await ready.waitFor();
  // Lucie's care team from the demo story, with both peers and the one who left
  await frame.getByText('André Roy').first().waitFor();
  await frame.getByText('Nadia Benali').first().waitFor();
  await shot(page, 'demo-01-lucie-care-team', true);
}, 90000);
