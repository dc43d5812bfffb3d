/**
 * The SMART app's end-to-end harness: the app built once per test file into build/smart-app (where the server serves
 * it), a real server on port 0 with the demo story in a fresh SQLite directory, headless Chromium from the system
 * (never downloaded), screenshots under test-output/e2e/ for a human to look at.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadConfig } from '../../src/config/config.js';
import { silentLogger } from '../../src/logger.js';
import { startServer, type RunningServer } from '../../src/main.js';
import { buildSmartApp } from '../../smart-app/build-smart-app.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SHOTS = path.join(ROOT, 'test-output', 'e2e');

let built: Promise<unknown> | undefined;
/** One build per test process; the server reads build/smart-app from the repository root. */
export function buildAppOnce(): Promise<unknown> {
  built ??= buildSmartApp(path.join(ROOT, 'build', 'smart-app'));
  return built;
}

export interface Harness {
  server: RunningServer;
  browser: Browser;
  close(): Promise<void>;
}

export async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  await buildAppOnce();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'smart-app-e2e-'));
  const server = await startServer(loadConfig({ PORT: '0', DATA_DIR: dataDir, DEMO_DATA: 'true', SMART_APP_DIR: path.join(ROOT, 'build', 'smart-app'), ...env }), silentLogger);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  mkdirSync(SHOTS, { recursive: true });
  return {
    server,
    browser,
    async close() {
      await browser.close();
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage });
}

/** JSON against the FHIR API, with a bearer token when given. */
export async function fhir(server: RunningServer, pathname: string, init: { method?: string; body?: unknown; token?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; body: any; etag: string | null }> {
  const headers: Record<string, string> = { accept: 'application/fhir+json', ...(init.headers ?? {}) };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/fhir+json';
  const res = await fetch(`${server.fhirBase}/${pathname}`, { method: init.method ?? (init.body ? 'POST' : 'GET'), headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, etag: res.headers.get('etag') };
}

/** Every form control has an accessible name (a label, aria-label or aria-labelledby). */
export async function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(() =>
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
