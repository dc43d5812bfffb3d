// The guide's pages in a real browser (headless Chromium from the system, never downloaded): home, a profile page
// and a code system page in French and English, the language switch, the download link. Screenshots go to
// test-output/ig/ for a human to look at.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildIgForTest, ROOT_DIR } from './ig-test-build.js';
import { serveSite, type StaticSite } from './static-server.js';

const SHOTS = path.join(ROOT_DIR, 'test-output', 'ig');
let site: StaticSite;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  const built = await buildIgForTest();
  site = await serveSite(built.siteDir, built.tarball);
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  page = await browser.newPage({ viewport: { width: 1024, height: 800 } });
  mkdirSync(SHOTS, { recursive: true });
}, 60000);

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

async function open(rel: string, shot: string): Promise<void> {
  const response = await page.goto(`${site.baseUrl}/ig/${rel}`);
  expect(response?.status()).toBe(200);
  await page.screenshot({ path: path.join(SHOTS, `${shot}.png`), fullPage: false });
}

/** Nothing wider than the 1024 px viewport: tables scroll inside their own box instead. */
async function expectNoHorizontalOverflow(): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

test('the site root leads to the French home page', async () => {
  await page.goto(`${site.baseUrl}/ig/`);
  await page.waitForURL(/\/ig\/fr\/index\.html$/);
  expect(await page.locator('html').getAttribute('lang')).toBe('fr-CA');
});

test('home page in French, then English through the language switch', async () => {
  await open('fr/index.html', 'home-fr');
  expect(await page.locator('h1').textContent()).toContain('Communauté soignante');
  expect(await page.locator('#profiles + ul.cards li').count()).toBe(5);
  await expectNoHorizontalOverflow();
  await page.getByRole('link', { name: 'English' }).click();
  await page.waitForURL(/\/ig\/en\/index\.html$/);
  expect(await page.locator('html').getAttribute('lang')).toBe('en-CA');
  expect(await page.locator('h1').textContent()).toContain('Caring Community');
  await page.screenshot({ path: path.join(SHOTS, 'home-en.png') });
});

test('the download link serves the FHIR package', async () => {
  await page.goto(`${site.baseUrl}/ig/en/index.html`);
  const href = await page.locator('a.button[download]').getAttribute('href');
  expect(href).toBe('../package.tgz');
  const response = await page.request.get(new URL(href ?? '', page.url()).toString());
  expect(response.status()).toBe(200);
  expect((await response.body()).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
});

test('profile page shows the element table, highlighted changes, must-support and invariants', async () => {
  for (const lang of ['fr', 'en']) {
    await open(`${lang}/StructureDefinition-peer-care-team.html`, `profile-peer-care-team-${lang}`);
    expect(await page.locator('table.elements tbody tr').count()).toBeGreaterThan(40);
    expect(await page.locator('table.elements tr.changed').count()).toBeGreaterThan(10);
    expect(await page.locator('table.elements .ms').count()).toBeGreaterThan(5);
    expect(await page.locator('#cs-ct-1').textContent()).toContain("participant.where(");
    expect(await page.locator('#examples + ul a').first().getAttribute('href')).toBe('examples/CareTeam-equipe-lucie-gagnon.html');
    await expectNoHorizontalOverflow();
  }
  expect(await page.locator('h1').textContent()).toBe('Peer care team');
  expect(await page.locator('td.desc span[lang]').count()).toBe(0);
  // The deliberately invalid examples are listed with the rule each breaks, and their JSON is served.
  const invalidLink = page.locator('#invalid-examples + p + .table-scroll a[href="#cs-ct-1"]');
  expect(await invalidLink.count()).toBeGreaterThan(0);
  const jsonHref = await page.locator('#invalid-examples + p + .table-scroll a[href^="examples/invalid/"]').first().getAttribute('href');
  const json = await page.request.get(new URL(jsonHref ?? '', page.url()).toString());
  expect(((await json.json()) as { resourceType: string }).resourceType).toBe('CareTeam');
});

test('on French pages, text that exists only in English is marked as English for screen readers', async () => {
  await page.goto(`${site.baseUrl}/ig/fr/StructureDefinition-peer-supporter.html`);
  // Core element descriptions come from the R4 specification, in English.
  expect(await page.locator('td.desc span[lang="en-CA"]').count()).toBeGreaterThan(10);
  // The guide's own bilingual short descriptions show their French half, unmarked.
  expect(await page.locator('td.desc', { hasText: 'Identifiant du pair dans le programme' }).count()).toBe(1);
  expect(await page.locator('td.desc', { hasText: "Peer's programme identifier" }).count()).toBe(0);
  // So do the reasons the invalid examples are invalid.
  const reasons = page.locator('#invalid-examples + p + .table-scroll td:nth-child(3)');
  expect(await reasons.count()).toBeGreaterThan(0);
  expect(await reasons.first().getAttribute('lang')).toBeNull();
  expect(await reasons.first().textContent()).toMatch(/ (le|la|les|un|une|des|du) /);
});

test('code system page lists fr-CA and en-CA designations of every concept', async () => {
  await open('fr/CodeSystem-care-team-role.html', 'codesystem-care-team-role-fr');
  expect(await page.locator('h1').textContent()).toBe('Rôles dans la communauté soignante');
  const row = page.locator('tr#citoyen-partenaire');
  expect(await row.locator('td').nth(1).textContent()).toBe('Citoyen partenaire');
  expect(await row.locator('td').nth(2).textContent()).toBe('Citizen partner');
  await open('en/CodeSystem-care-team-role.html', 'codesystem-care-team-role-en');
  expect(await page.locator('tbody tr').count()).toBe(5);
  expect(await page.locator('tr#citoyen-partenaire td').nth(3).textContent()).toContain('Peer from the neighbourhood');
});

test('example pages show the resource without injecting its markup', async () => {
  await open('fr/examples/Goal-lucie-sortir-voir-du-monde.html', 'example-goal-fr');
  expect(await page.locator('pre code').textContent()).toContain('"resourceType": "Goal"');
  expect(await page.locator('main div[xmlns]').count()).toBe(0);
});
