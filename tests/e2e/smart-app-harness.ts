/**
 * The SMART app's end-to-end harness: the app built once per test process into build/smart-app (where the server
 * serves it), the guide built once per test process into a temporary folder (the server validates against it and
 * loads its search parameters), a real server on port 0 with the demo story in a fresh SQLite directory, headless
 * Chromium from the system (never downloaded), screenshots under test-output/e2e/ for a human to look at.
 *
 * The app is launched the way the server allows: through the EHR sandbox (/ehr/) with a real sign-in when the server
 * runs the SMART authorization server, or as fhirclient's open-server launch (patient fixed by `patientId`) when it
 * does not. The API checks use a SMART Backend Services token when there is an authorization server.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { loadConfig } from '../../src/config/config.js';
import { silentLogger } from '../../src/logger.js';
import { startServer, type RunningServer } from '../../src/main.js';
import { buildSmartApp } from '../../smart-app/build-smart-app.js';
import { buildIgForTest } from '../ig/ig-test-build.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SHOTS = path.join(ROOT, 'test-output', 'e2e');

/** The app's registration, as in config/clients.demo.json. */
export const APP_CLIENT = {
  client_id: 'caring-community-app',
  kind: 'public',
  name: 'Communauté soignante',
  redirect_uris: ['{{BASE_URL}}/smart-app/', '{{BASE_URL}}/smart-app/index.html'],
  launch_url: '{{BASE_URL}}/smart-app/launch.html',
  scope: 'openid fhirUser profile launch launch/patient launch/encounter offline_access online_access patient/*.cruds user/*.cruds',
};
/** The same app registered with patient-level scopes only: the server grants no user-level RelatedPerson search. */
export const LIMITED_CLIENT = {
  ...APP_CLIENT,
  client_id: 'caring-community-app-limited',
  name: 'Communauté soignante (accès patient seulement)',
  launch_url: '{{BASE_URL}}/smart-app/launch.html?client_id=caring-community-app-limited',
  scope: 'openid fhirUser profile launch launch/patient online_access patient/*.cruds',
};
export const PRACTITIONER = { username: 'alice', password: 'alice-password' };

interface AuthHelpers {
  testAuthSettings(dir: string, extraClients?: Record<string, unknown>[]): Promise<Record<string, string>>;
  backendToken(server: RunningServer, scope?: string): Promise<string>;
}

/** The authorization branch's test helpers, when this checkout has them. */
async function authHelpers(): Promise<AuthHelpers | undefined> {
  const modulePath = '../helpers/auth.js';
  try {
    return (await import(modulePath)) as AuthHelpers;
  } catch {
    return undefined;
  }
}

let built: Promise<unknown> | undefined;
export function buildAppOnce(): Promise<unknown> {
  built ??= buildSmartApp(path.join(ROOT, 'build', 'smart-app'));
  return built;
}

export interface Harness {
  server: RunningServer;
  browser: Browser;
  /** Whether the server runs the SMART authorization server. */
  auth: boolean;
  /** A backend services token for the API checks (auth servers only). */
  token?: string;
  close(): Promise<void>;
}

export async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  const [ig] = await Promise.all([buildIgForTest(), buildAppOnce()]);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'smart-app-e2e-'));
  const helpers = await authHelpers();
  const authEnv = helpers ? await helpers.testAuthSettings(dataDir, [APP_CLIENT, LIMITED_CLIENT]) : {};
  const server = await startServer(loadConfig({ PORT: '0', DATA_DIR: dataDir, DEMO_DATA: 'true', IG_DIR: ig.igDir, ...authEnv, ...env }), silentLogger);
  const auth = (await fetch(`${server.fhirBase}/.well-known/smart-configuration`)).ok;
  const token = auth && helpers ? await helpers.backendToken(server, 'system/*.cruds') : undefined;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  mkdirSync(SHOTS, { recursive: true });
  return {
    server,
    browser,
    auth,
    token,
    async close() {
      await browser.close();
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface LaunchOptions {
  patient: string;
  /** EHR sandbox only: inside the EHR page's iframe (no patient banner), or in a tab of its own. */
  embedded?: boolean;
  /** Screenshot name prefix for the sign-in steps. */
  shots?: string;
  /** EHR sandbox only: which registered app to launch (default the app's own registration). */
  clientId?: string;
}

/**
 * Opens the app for a patient and returns the frame it runs in (the page's main frame, or the EHR's iframe) and the
 * page to screenshot. With an authorization server: the EHR sandbox, sign-in as a practitioner, the EHR's own
 * consent, then the launch and the app's consent.
 */
export async function launchApp(harness: Harness, page: Page, options: LaunchOptions): Promise<{ app: Frame; page: Page }> {
  const { server } = harness;
  if (!harness.auth) {
    await page.goto(`${server.url}/smart-app/launch.html?iss=${encodeURIComponent(server.fhirBase)}&patientId=${options.patient}`);
    await page.waitForSelector('body[data-ready="true"]');
    return { app: page.mainFrame(), page };
  }
  await page.goto(`${server.url}/ehr/`);
  await page.locator('#sign-in').click();
  await signIn(page.mainFrame(), page, options.shots);
  await page.locator('#patient').selectOption(options.patient);
  await page.locator('#app').selectOption(options.clientId ?? APP_CLIENT.client_id);
  await page.locator('#embedded').setChecked(options.embedded ?? true);
  if (options.shots) await shot(page, `${options.shots}-ehr`);
  if (options.embedded ?? true) {
    await page.locator('#launch').click();
    const frameElement = await page.waitForSelector('#app-frame:not([hidden])');
    const frame = (await frameElement.contentFrame())!;
    await allowIfAsked(frame, page, options.shots);
    await frame.waitForSelector('body[data-ready="true"]');
    return { app: frame, page };
  }
  const [tab] = await Promise.all([page.context().waitForEvent('page'), page.locator('#launch').click()]);
  await allowIfAsked(tab.mainFrame(), tab, options.shots);
  await tab.waitForSelector('body[data-ready="true"]');
  return { app: tab.mainFrame(), page: tab };
}

async function signIn(frame: Frame, page: Page, shots?: string): Promise<void> {
  await frame.waitForSelector('#username, body[data-ready]');
  if (await frame.locator('#username').count()) {
    await frame.locator('#username').fill(PRACTITIONER.username);
    await frame.locator('#password').fill(PRACTITIONER.password);
    if (shots) await shot(page, `${shots}-sign-in`);
    await frame.locator('button[type=submit]').click();
    // Wait for the sign-in page to go, or the next check would still see it on a slow machine.
    await frame.locator('#username').waitFor({ state: 'detached' });
  }
  await allowIfAsked(frame, page, shots);
}

/** The authorization server's sign-in (again, in a frame) or consent page, when it shows one; then wait for it to go. */
async function allowIfAsked(frame: Frame, page: Page, shots?: string): Promise<void> {
  const allow = frame.locator('button[name=decision][value=allow]');
  const username = frame.locator('#username');
  const done = frame.locator('body[data-ready], #signed-in:not([hidden])');
  await allow.or(username).or(done).first().waitFor();
  if (await username.count()) return signIn(frame, page, shots);
  if (await allow.count()) {
    if (shots) await shot(page, `${shots}-consent`, true);
    await allow.click();
    await allow.waitFor({ state: 'detached' });
  }
}

/** A screenshot of a page, or of the app alone when it runs in the EHR's frame. */
export async function shot(target: Page | Frame, name: string, fullPage = false): Promise<void> {
  const file = path.join(SHOTS, `${name}.png`);
  if ('parentFrame' in target && target.parentFrame()) await (await target.frameElement()).screenshot({ path: file });
  else await ('page' in target ? target.page() : target).screenshot({ path: file, fullPage });
}

/** JSON against the FHIR API, with the harness's backend token when the server has an authorization server. */
export async function fhir(
  harness: Harness,
  pathname: string,
  init: { method?: string; body?: unknown; token?: string; headers?: Record<string, string> } = {},
  // `any`: tests read arbitrary FHIR JSON; the assertions say what they expect of it.
): Promise<{ status: number; body: any; etag: string | null }> {
  const headers: Record<string, string> = { accept: 'application/fhir+json', ...(init.headers ?? {}) };
  const token = init.token ?? harness.token;
  if (token) headers.authorization = `Bearer ${token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/fhir+json';
  const res = await fetch(`${harness.server.fhirBase}/${pathname}`, {
    method: init.method ?? (init.body ? 'POST' : 'GET'),
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, etag: res.headers.get('etag') };
}

/** Every visible form control has an accessible name (a label, aria-label or aria-labelledby, or a button's text). */
export async function unlabelledControls(app: Frame): Promise<string[]> {
  return app.evaluate(() =>
    [...document.querySelectorAll<HTMLInputElement>('input, select, textarea, button')]
      .filter((el) => !el.hidden && el.offsetParent !== null)
      .filter((el) => !(el.labels?.length || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || (el.tagName === 'BUTTON' && el.textContent?.trim())))
      .map((el) => el.outerHTML.slice(0, 120)),
  );
}

/** A field's label, exactly, with or without the required marker (a visual " *" hidden from screen readers). */
export function label(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\*)?$`);
}

/**
 * Text below WCAG AA contrast (4.5:1, or 3:1 for large text) against its effective background, and whether the page
 * is wider than its viewport (usable at 1024x700 means no horizontal scrolling).
 */
export async function contrastAndOverflow(app: Frame): Promise<{ lowContrast: string[]; overflow: number }> {
  return app.evaluate(() => {
    const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
    const lum = ([r, g, b]: number[]) =>
      [r, g, b].map((v) => v / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)).reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
    const background = (el: Element | null): number[] => {
      for (let e = el; e; e = e.parentElement) {
        const c = rgb(getComputedStyle(e).backgroundColor);
        if (c.length === 3 || (c.length === 4 && c[3] > 0.9)) return c.slice(0, 3);
      }
      return [255, 255, 255];
    };
    const lowContrast: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      const text = [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent?.trim()).join('');
      if (!text || el.offsetParent === null || el.closest('[hidden], .visually-hidden, del')) continue;
      const style = getComputedStyle(el);
      const [a, b] = [lum(rgb(style.color)), lum(background(el))];
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) lowContrast.push(`${ratio.toFixed(2)} ${el.tagName} "${text.slice(0, 40)}"`);
    }
    return { lowContrast, overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth };
  });
}
