// English and French screens (the browser's language first, then the switch), keyboard-only use, and conflicting
// edits: another user saves the plan or the team while the clinician edits it; the app explains the 412, keeps the
// input, and re-applies it on the current version without losing the other user's change.
import type { Frame, Page } from 'playwright-core';
import { contrastAndOverflow, fhir, label, launchApp, shot, startHarness, unlabelledControls, type Harness } from './smart-app-harness.js';

let harness: Harness;
let page: Page;
let app: Frame;

beforeAll(async () => {
  harness = await startHarness();
  page = await harness.browser.newPage({ viewport: { width: 1024, height: 700 }, locale: 'en-CA' });
  page.setDefaultTimeout(15000);
  // In a tab of its own, with the patient banner the EHR asks for.
  ({ app, page } = await launchApp(harness, page, { patient: 'lucie-gagnon', embedded: false, shots: 'en-00' }));
  page.setDefaultTimeout(15000);
}, 120000);

afterAll(async () => {
  await harness?.close();
});

test('an English browser gets the English screens, with role names from the code system designations', async () => {
  expect(await app.locator('html').getAttribute('lang')).toBe('en-CA');
  await expect(app.getByRole('heading', { level: 2 }).textContent()).resolves.toBe('Care team');
  await expect(app.getByRole('row', { name: /André Roy/ }).textContent()).resolves.toContain('Patient partner');
  await expect(app.getByRole('row', { name: /Nadia Benali/ }).textContent()).resolves.toContain('March 16, 2026 – September 30, 2026');
  expect(await unlabelledControls(app)).toEqual([]);
  await shot(page, 'en-01-team');
  await app.getByRole('button', { name: 'Peer-support plan' }).click();
  await expect(app.locator('article.goal').first().textContent()).resolves.toContain('Isolation and social connection');
  await shot(page, 'en-02-plan');
  await app.getByRole('button', { name: 'Consents' }).click();
  await expect(app.getByRole('row', { name: /André Roy/ }).textContent()).resolves.toContain('in force');
  await shot(page, 'en-03-consents');
});

test('every screen meets WCAG AA contrast and fits 1024x700 without horizontal scrolling', async () => {
  for (const section of ['Care team', 'Peer-support plan', 'Consents']) {
    await app.getByRole('button', { name: section }).click();
    expect(await contrastAndOverflow(app)).toEqual({ lowContrast: [], overflow: 0 });
  }
});

test('the language switch turns every screen French and keeps the current screen', async () => {
  await app.getByRole('button', { name: 'Passer au français' }).click();
  expect(await app.locator('html').getAttribute('lang')).toBe('fr-CA');
  await expect(app.getByRole('heading', { level: 2 }).textContent()).resolves.toBe('Consentements au partage avec un pair');
  await expect(app.getByRole('row', { name: /André Roy/ }).textContent()).resolves.toContain('en vigueur');
  // Focus stays on the switch, now offering English.
  await expect(app.evaluate(() => document.activeElement?.textContent)).resolves.toBe('English');
  await shot(page, 'fr-01-consents');
});

test('keyboard only: the sections are reached with Tab and opened with Enter, focus goes to the heading', async () => {
  // Focus is on the language switch (previous test): the skip link comes before it, the sections after it.
  await page.keyboard.press('Shift+Tab');
  await expect(app.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Aller au contenu');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(app.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Équipe de soins');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(app.evaluate(() => document.activeElement?.textContent)).resolves.toBe("Plan d'accompagnement");
  await page.keyboard.press('Enter');
  await expect(app.evaluate(() => document.activeElement?.id)).resolves.toBe('plan-heading');
  await page.keyboard.press('Tab');
  await expect(app.evaluate(() => document.activeElement?.closest('.field')?.querySelector('label')?.textContent)).resolves.toBe('Titre');
  await shot(page, 'fr-02-keyboard-plan');
});

test('a plan edited meanwhile by someone else: the 412 is explained, the input kept and re-applied on top', async () => {
  await app.getByLabel(label('Titre')).fill('Plan de Lucie, revu avec elle');
  // Another user saves a new version of the plan while the clinician types.
  const current = (await fhir(harness, 'CarePlan/plan-accompagnement-lucie')).body;
  const other = await fhir(harness, 'CarePlan/plan-accompagnement-lucie', {
    method: 'PUT',
    body: { ...current, description: 'Modifié par la Dre Lavoie pendant ce temps.' },
    headers: { 'if-match': `W/"${current.meta.versionId}"` },
  });
  expect(other.status).toBe(200);
  await app.getByRole('button', { name: 'Enregistrer le plan' }).click();
  const panel = app.getByRole('alertdialog');
  await expect(panel.textContent()).resolves.toContain('Modifié par la Dre Lavoie pendant ce temps.');
  await expect(app.getByLabel(label('Titre')).inputValue()).resolves.toBe('Plan de Lucie, revu avec elle');
  await shot(page, 'fr-03-plan-conflict');
  await panel.getByRole('button', { name: 'Réappliquer mes modifications sur la nouvelle version' }).click();
  await app.getByRole('status').filter({ hasText: 'Vos modifications ont été réappliquées et enregistrées.' }).waitFor();
  const saved = (await fhir(harness, 'CarePlan/plan-accompagnement-lucie')).body;
  expect(saved.title).toBe('Plan de Lucie, revu avec elle');
  expect(saved.description).toBe('Modifié par la Dre Lavoie pendant ce temps.');
  await shot(page, 'fr-04-plan-reapplied');
});

test('a team changed meanwhile: ending a participation is applied again on the current version', async () => {
  await app.getByRole('button', { name: 'Équipe de soins' }).click();
  await app.getByRole('button', { name: 'Mettre fin à la participation de André Roy' }).click();
  const current = (await fhir(harness, 'CareTeam/equipe-lucie-gagnon')).body;
  const note = { text: 'Note ajoutée par un autre membre pendant ce temps.' };
  const other = await fhir(harness, 'CareTeam/equipe-lucie-gagnon', {
    method: 'PUT',
    body: { ...current, note: [...(current.note ?? []), note] },
    headers: { 'if-match': `W/"${current.meta.versionId}"` },
  });
  expect(other.status).toBe(200);
  await app.getByRole('button', { name: 'Confirmer la fin' }).click();
  const panel = app.getByRole('alertdialog');
  await expect(panel.textContent()).resolves.toContain('Note ajoutée par un autre membre pendant ce temps.');
  await shot(page, 'fr-05-team-conflict');
  await panel.getByRole('button', { name: 'Réappliquer mes modifications sur la nouvelle version' }).click();
  await app.getByRole('status').filter({ hasText: 'Vos modifications ont été réappliquées et enregistrées.' }).waitFor();
  const saved = (await fhir(harness, 'CareTeam/equipe-lucie-gagnon')).body;
  expect(saved.note.map((n: { text: string }) => n.text)).toContain(note.text);
  const andre = saved.participant.find((p: any) => p.member.reference === 'RelatedPerson/pair-andre-roy-lucie');
  expect(andre.period.end).toBeDefined();
  expect(saved.participant).toHaveLength(current.participant.length); // ended, never removed
});

test('the notices say what this server lacks, read from its CapabilityStatement', async () => {
  const metadata = (await fhir(harness, 'metadata')).body;
  const careTeam = metadata.rest[0].resource.find((r: any) => r.type === 'CareTeam');
  const hasRoleSearch = (careTeam.searchParam ?? []).some((p: any) => p.name === 'participant-role');
  const notices = (await app.locator('aside.notices').textContent({ timeout: 1000 }).catch(() => '')) ?? '';
  expect(notices.includes('participant-role')).toBe(!hasRoleSearch);
  const hasValidate = metadata.rest[0].resource.some((r: any) => (r.operation ?? []).some((o: any) => o.name === 'validate'));
  expect(notices.includes('$validate')).toBe(!hasValidate);
});
