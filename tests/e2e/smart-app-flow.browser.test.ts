// The clinician's whole flow in a real browser against the real server, launched from the EHR sandbox in its frame
// with a real sign-in (or, on a server without authorization, as an open-server launch): create the team, add a peer
// from the programme and a new one, record and withdraw consent, create a plan with two goals and an activity, end a
// peer's participation. Then the FHIR API says the resources exist, declare their profiles, pass $validate when
// offered, and belong to that patient. Screenshots of every step go to test-output/e2e/.
import type { Frame, Page } from 'playwright-core';
import { fhir, label, launchApp, shot, startHarness, unlabelledControls, type Harness } from './smart-app-harness.js';

let harness: Harness;
let page: Page;
let app: Frame;
const PATIENT = 'jean-dubois';
const today = () => {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
};

beforeAll(async () => {
  harness = await startHarness();
  const created = await fhir(harness, `Patient/${PATIENT}`, {
    method: 'PUT',
    body: { resourceType: 'Patient', id: PATIENT, name: [{ family: 'Dubois', given: ['Jean'] }], birthDate: '1958-06-14', gender: 'male' },
  });
  expect([200, 201]).toContain(created.status);
  page = await harness.browser.newPage({ viewport: { width: 1024, height: 700 }, locale: 'fr-CA' });
  page.setDefaultTimeout(15000);
  // Inside the EHR page's frame, as most EMRs open SMART apps.
  ({ app, page } = await launchApp(harness, page, { patient: PATIENT, embedded: true, shots: '00' }));
}, 120000);

afterAll(async () => {
  await harness?.close();
});

async function status(text: string | RegExp): Promise<void> {
  await app.getByRole('status').filter({ hasText: text }).waitFor();
}

test('the team is created for the person', async () => {
  expect(await app.locator('html').getAttribute('lang')).toBe('fr-CA');
  // The EHR shows its own banner around the frame (need_patient_banner false); the open launch gets the app's.
  await expect(app.getByRole('region', { name: 'Patient' }).count()).resolves.toBe(harness.auth ? 0 : 1);
  await shot(app, '01-team-none');
  await app.getByRole('button', { name: "Créer l'équipe de soins" }).click();
  await status('Équipe de soins créée.');
  await expect(app.getByRole('row', { name: /Jean Dubois/ }).textContent()).resolves.toContain('Personne accompagnée');
  expect(await unlabelledControls(app)).toEqual([]);
  await shot(app, '02-team-created');
});

test('a peer from the programme joins the team (a new RelatedPerson for this person, same programme identifier)', async () => {
  await app.getByLabel(label('Pair du programme')).selectOption({ label: 'André Roy (PAIR-0007)' });
  await app.getByLabel(label('Rôle du pair')).selectOption('patient-partenaire');
  await shot(app, '03-add-peer-programme');
  await app.getByRole('button', { name: "Ajouter à l'équipe" }).click();
  await status("André Roy fait maintenant partie de l'équipe.");
  await expect(app.getByRole('row', { name: /André Roy/ }).textContent()).resolves.toContain('Patient partenaire');
});

test('a new peer is entered and joins as citizen partner', async () => {
  await app.getByLabel(label('Un nouveau pair')).check();
  await app.getByLabel(label('Prénom')).fill('Marc');
  await app.getByLabel(label('Nom')).fill('Tremblay');
  await app.getByLabel(label('Identifiant du pair dans le programme')).fill('PAIR-0042');
  await app.getByLabel(label('Rôle du pair')).selectOption('citoyen-partenaire');
  await shot(app, '04-add-peer-new');
  await app.getByRole('button', { name: "Ajouter à l'équipe" }).click();
  await status("Marc Tremblay fait maintenant partie de l'équipe.");
  await expect(app.getByRole('row', { name: /Marc Tremblay/ }).textContent()).resolves.toContain('Citoyen partenaire');
  await shot(app, '05-team-two-peers');
});

test('the person consents to share with André, then the consent is withdrawn (kept on record)', async () => {
  await app.getByRole('button', { name: 'Consentements' }).click();
  await app.getByLabel(label('Pair')).selectOption({ label: 'André Roy' });
  await shot(app, '06-consent-form');
  await app.getByRole('button', { name: 'Enregistrer le consentement' }).click();
  await status('Consentement au partage avec André Roy enregistré.');
  const row = app.getByRole('row', { name: /André Roy/ });
  await expect(row.textContent()).resolves.toContain('en vigueur');
  await shot(app, '07-consent-recorded');
  await app.getByRole('button', { name: 'Retirer le consentement donné à André Roy' }).click();
  await status('Consentement donné à André Roy retiré. Il reste au dossier.');
  await expect(app.getByRole('row', { name: /André Roy/ }).textContent()).resolves.toContain('retiré ou terminé');
  // A consent that stays in force, for the API checks below.
  await app.getByLabel(label('Pair')).selectOption({ label: 'André Roy' });
  await app.getByRole('button', { name: 'Enregistrer le consentement' }).click();
  await status('Consentement au partage avec André Roy enregistré.');
  await shot(app, '08-consent-withdrawn-and-new');
});

test('the plan needs the person’s words: an empty goal is shown next to its field', async () => {
  await app.getByRole('button', { name: "Plan d'accompagnement" }).click();
  await app.getByRole('button', { name: 'Commencer le plan' }).click();
  await app.getByRole('button', { name: 'Enregistrer le plan' }).click();
  const goalText = app.locator('#goal-text-0');
  await app.locator('#goal-text-0[aria-invalid="true"]').waitFor(); // fails by timeout if the field is never marked
  const describedBy = (await goalText.getAttribute('aria-describedby'))!.split(' ');
  const error = app.locator(`[id="${describedBy[describedBy.length - 1]}"]`);
  await expect(error.textContent()).resolves.toBe('Ce champ est obligatoire.');
  await shot(app, '09-plan-errors');
});

test('a plan with two goals in the person’s words and a weekly peer activity is saved', async () => {
  await app.locator('#goal-text-0').fill('Je veux recommencer à jouer aux cartes avec mes voisins.');
  await app.locator('article.goal').nth(0).getByLabel(label('Isolement et lien social')).check();
  await app.getByRole('button', { name: 'Ajouter un objectif' }).click();
  await expect(app.evaluate(() => document.activeElement?.id)).resolves.toBe('goal-text-1');
  await app.locator('#goal-text-1').fill('Je veux dormir mieux.');
  await app.locator('article.goal').nth(1).getByLabel(label('Santé')).check();
  await app.locator('article.goal').nth(1).getByLabel(label('Progrès')).selectOption('in-progress');
  await app.getByRole('button', { name: 'Ajouter une activité' }).click();
  const activity = app.locator('article.activity').nth(0);
  await activity.getByLabel(label('Activité')).selectOption('ecoute-active');
  await activity.getByLabel(label('Pair')).selectOption({ label: 'André Roy' });
  await activity.getByLabel(label('Rythme')).selectOption('weekly');
  await activity.getByLabel(label('Je veux recommencer à jouer aux cartes avec mes voisins.')).check();
  await activity.getByLabel(label('En quelques mots (lieu, ce que la personne en attend)')).fill('Café du mercredi au centre communautaire.');
  await shot(app, '10-plan-form', true);
  await app.getByRole('button', { name: 'Enregistrer le plan' }).click();
  await status("Plan d'accompagnement enregistré.");
  await expect(app.locator('#goal-text-1').inputValue()).resolves.toBe('Je veux dormir mieux.');
  await shot(app, '11-plan-saved');
});

test("the server's $validate problems are shown in plain language next to the field they concern", async () => {
  const metadata = (await fhir(harness, 'metadata')).body;
  const validates = metadata.rest[0].resource.find((r: any) => r.type === 'Goal')?.operation?.some((o: any) => o.name === 'validate') ?? false;
  // A completed goal must say whether it was reached (cs-goal-1): the app does not check it, the guide's validator does.
  const goal = app.locator('article.goal').nth(0);
  await goal.getByLabel(label('Où en est l’objectif')).selectOption('completed');
  await goal.getByLabel(label('Progrès')).selectOption('');
  await app.getByRole('button', { name: 'Enregistrer le plan' }).click();
  if (validates) {
    // The answer of the server's $validate arrives after the click: wait for the message before reading the form.
    await goal.locator('.field-error:not([hidden])').waitFor();
    const progress = goal.getByLabel(label('Progrès'));
    await expect(progress.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(goal.locator('.field-error:not([hidden])').textContent()).resolves.toBe('Un objectif terminé doit dire s’il a été atteint (progrès).');
    await shot(app, '11b-plan-validate-error');
  } else {
    await status("Plan d'accompagnement enregistré.");
  }
  await app.locator('article.goal').nth(0).getByLabel(label('Progrès')).selectOption('achieved');
  await app.getByRole('button', { name: 'Enregistrer le plan' }).click();
  await status("Plan d'accompagnement enregistré.");
});

test("a peer's participation ends by a date, the history stays", async () => {
  await app.getByRole('button', { name: 'Équipe de soins' }).click();
  await app.getByRole('button', { name: 'Mettre fin à la participation de Marc Tremblay' }).click();
  await shot(app, '12-end-participation');
  await app.getByRole('button', { name: 'Confirmer la fin' }).click();
  await status('La participation de Marc Tremblay prend fin');
  await expect(app.getByRole('row', { name: /Marc Tremblay/ }).textContent()).resolves.toMatch(/–/);
  await shot(app, '13-participation-ended');
});

test('through the FHIR API: the resources exist, declare their profiles, conform and belong to the person', async () => {
  const subject = `Patient/${PATIENT}`;
  const entries = async (q: string) => ((await fhir(harness, q)).body.entry ?? []).map((e: { resource: any }) => e.resource);
  const teams = await entries(`CareTeam?subject=${subject}`);
  expect(teams).toHaveLength(1);
  const team = teams[0];
  expect(team.meta.profile).toContain('https://fhir.communautesoignante.ca/StructureDefinition/peer-care-team');
  const peers = await entries(`RelatedPerson?patient=${subject}`);
  expect(peers.map((p: any) => p.identifier[0].value).sort()).toEqual(['PAIR-0007', 'PAIR-0042']);
  for (const p of peers) {
    expect(p.meta.profile).toContain('https://fhir.communautesoignante.ca/StructureDefinition/peer-supporter');
    expect(p.patient.reference).toBe(subject);
  }
  const marc = peers.find((p: any) => p.identifier[0].value === 'PAIR-0042');
  const marcParticipation = team.participant.find((p: any) => p.member.reference === `RelatedPerson/${marc.id}`);
  expect(marcParticipation.period).toEqual({ start: today(), end: today() });
  expect(marc.period.end).toBe(today());
  expect(marc.active).toBe(false); // cs-ps-1: ended today, no longer active
  const andre = peers.find((p: any) => p.identifier[0].value === 'PAIR-0007');
  expect(andre.id).not.toBe('pair-andre-roy-lucie'); // Lucie's RelatedPerson is never reused for Jean
  expect(team.participant.find((p: any) => p.member.reference === `RelatedPerson/${andre.id}`).period).toEqual({ start: today() });

  const consents = await entries(`Consent?patient=${subject}`);
  expect(consents.map((c: any) => c.status).sort()).toEqual(['active', 'inactive']);
  for (const c of consents) {
    expect(c.meta.profile).toContain('https://fhir.communautesoignante.ca/StructureDefinition/peer-access-consent');
    expect(c.provision.provision[0].actor[0].reference.reference).toBe(`RelatedPerson/${andre.id}`);
    expect(c.provision.provision[0].class.map((x: any) => x.code).sort()).toEqual(['CarePlan', 'CareTeam', 'Goal']);
  }

  const plans = await entries(`CarePlan?subject=${subject}`);
  expect(plans).toHaveLength(1);
  const plan = plans[0];
  expect(plan.meta.profile).toContain('https://fhir.communautesoignante.ca/StructureDefinition/peer-support-care-plan');
  expect(plan.careTeam[0].reference).toBe(`CareTeam/${team.id}`);
  expect(plan.author.reference).toBe(subject); // the person's plan; the clinician contributes
  if (harness.auth) expect(plan.contributor[0].reference).toBe('Practitioner/alice');
  expect(plan.goal).toHaveLength(2);
  expect(plan.activity[0].detail.scheduledTiming.repeat).toMatchObject({ frequency: 1, period: 1, periodUnit: 'wk' });
  expect(plan.activity[0].detail.performer[0].reference).toBe(`RelatedPerson/${andre.id}`);
  const goals = await Promise.all(plan.goal.map(async (g: any) => (await fhir(harness, g.reference)).body));
  expect(goals.map((g: any) => g.description.text)).toEqual(['Je veux recommencer à jouer aux cartes avec mes voisins.', 'Je veux dormir mieux.']);
  expect(goals.map((g: any) => [g.lifecycleStatus, g.achievementStatus?.coding[0].code])).toEqual([['completed', 'achieved'], ['active', 'in-progress']]);
  for (const g of goals) {
    expect(g.meta.profile).toContain('https://fhir.communautesoignante.ca/StructureDefinition/life-goal');
    expect(g.subject.reference).toBe(subject);
    expect(g.expressedBy.reference).toBe(subject);
    expect(g.extension[0]).toMatchObject({ url: 'http://hl7.org/fhir/StructureDefinition/goal-acceptance', extension: [{ url: 'individual', valueReference: { reference: subject } }, { url: 'status', valueCode: 'agree' }] });
  }

  // $validate when the server offers it (read from its CapabilityStatement, like the app does).
  const metadata = (await fhir(harness, 'metadata')).body;
  const offersValidate = (type: string) =>
    metadata.rest[0].resource.find((r: any) => r.type === type)?.operation?.some((o: any) => o.name === 'validate') ?? false;
  for (const resource of [team, ...peers, ...consents, plan, ...goals]) {
    if (!offersValidate(resource.resourceType)) continue;
    const outcome = (await fhir(harness, `${resource.resourceType}/$validate`, { body: resource })).body;
    expect(outcome.issue.filter((i: any) => i.severity === 'error' || i.severity === 'fatal')).toEqual([]);
  }
});
