/**
 * `npm run bench:app`: how fast the SMART app is interactive, in headless Chromium against the real server (port 0,
 * demo story, the app as `npm run build:app` builds it). Per run: page load (launch.html navigation) to interactive
 * (the first screen rendered with the person's data), and token to interactive (fhirclient's ready() to the same
 * point: the app's budget is 1 s). Prints medians and worst cases; asserts nothing. BENCH_RUNS sets the run count.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { loadConfig } from '../src/config/config.js';
import { silentLogger } from '../src/logger.js';
import { startServer } from '../src/main.js';
import { buildSmartApp } from '../smart-app/build-smart-app.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const ROOT = join(import.meta.dirname, '..');

const { gzipBytes } = await buildSmartApp(join(ROOT, 'build', 'smart-app'));
const dataDir = mkdtempSync(join(tmpdir(), 'smart-app-bench-'));
const server = await startServer(loadConfig({ PORT: '0', DATA_DIR: dataDir, DEMO_DATA: 'true' }), silentLogger);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
const loadToInteractive: number[] = [];
const tokenToInteractive: number[] = [];
try {
  for (let i = 0; i < RUNS; i++) {
    // A fresh context per run: no cached app, no stored session, as for a clinician opening a chart.
    const context = await browser.newContext({ viewport: { width: 1024, height: 700 } });
    const page = await context.newPage();
    const started = Date.now();
    await page.goto(`${server.url}/smart-app/launch.html?iss=${encodeURIComponent(server.fhirBase)}&patientId=lucie-gagnon`);
    await page.waitForSelector('body[data-ready="true"]');
    loadToInteractive.push(Date.now() - started);
    tokenToInteractive.push(await page.evaluate(() => performance.measure('t', 'smart-token', 'smart-interactive').duration));
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `median ${s[Math.floor(s.length / 2)].toFixed(0)} ms, worst ${s[s.length - 1].toFixed(0)} ms`;
};
console.log(`SMART app, ${RUNS} cold runs in Chromium (1024x700), ${(gzipBytes / 1024).toFixed(1)} kB JavaScript gzipped`);
console.log(`  launch page load → interactive: ${stats(loadToInteractive)}`);
console.log(`  token → interactive:            ${stats(tokenToInteractive)}  (budget 1000 ms)`);
