/**
 * `npm run bench:app`: how fast the SMART app is interactive, in headless Chromium against the real server (port 0,
 * demo story, the app as `npm run build:app` builds it), launched as the e2e tests do (EHR sandbox and sign-in when
 * the server has the authorization server). Per cold run, on the app page (index.html, the redirect target):
 * navigation start to interactive (first screen rendered with the person's data), and token to interactive
 * (fhirclient's ready() resolved to the same point: the app's budget is 1 s). Prints medians and worst cases;
 * asserts nothing. BENCH_RUNS sets the number of runs.
 */
import { launchApp, startHarness } from '../tests/e2e/smart-app-harness.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const harness = await startHarness();
const loadToInteractive: number[] = [];
const tokenToInteractive: number[] = [];
try {
  for (let i = 0; i < RUNS; i++) {
    // A fresh context per run: no cached app, no stored session, as for a clinician opening a chart.
    const context = await harness.browser.newContext({ viewport: { width: 1024, height: 700 } });
    const { app } = await launchApp(harness, await context.newPage(), { patient: 'lucie-gagnon', embedded: false });
    const [load, token] = await app.evaluate(() => {
      const interactive = performance.getEntriesByName('smart-interactive')[0].startTime;
      return [interactive, performance.measure('token-to-interactive', 'smart-token', 'smart-interactive').duration];
    });
    loadToInteractive.push(load);
    tokenToInteractive.push(token);
    await context.close();
  }
} finally {
  await harness.close();
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `median ${s[Math.floor(s.length / 2)].toFixed(0)} ms, worst ${s[s.length - 1].toFixed(0)} ms`;
};
console.log(`SMART app, ${RUNS} cold runs in Chromium (1024x700), ${harness.auth ? 'EHR launch with sign-in' : 'open-server launch'}`);
console.log(`  app page navigation → interactive: ${stats(loadToInteractive)}`);
console.log(`  token → interactive:               ${stats(tokenToInteractive)}  (budget 1000 ms)`);
