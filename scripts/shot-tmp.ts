import { chromium } from 'playwright-core';
import { serveSite } from '../tests/ig/static-server.js';
const site = await serveSite('/work/wt-ig/build/ig/site', '/work/wt-ig/build/ig/package.tgz');
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu','--disable-background-networking'] });
const p = await b.newPage({ viewport: { width: 1024, height: 800 } });
for (const [rel, name, y] of process.argv.slice(2).map(a => a.split(','))) {
  await p.goto(`${site.baseUrl}/ig/${rel}`);
  const h = await p.evaluate(() => document.documentElement.scrollHeight);
  const top = Math.min(Number(y), h - 800);
  await p.screenshot({ path: `/work/wt-ig/test-output/ig/manual-${name}.png`, fullPage: true, clip: { x: 0, y: top, width: 1024, height: 800 } });
  console.log(name, h);
}
await b.close(); await site.close();
