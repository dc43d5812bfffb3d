import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { buildIgForTest, ROOT_DIR } from '../ig/ig-test-build.js';

const example = (rel: string) => JSON.parse(readFileSync(join(ROOT_DIR, 'examples', rel), 'utf8'));
const errorsOf = (outcome: { issue: { severity: string; expression?: string[] }[] }) =>
  outcome.issue.filter((i) => i.severity === 'error' || i.severity === 'fatal');

/** $validate and enforcement on write, with the guide's package loaded by the server (R4 resource-operation-validate.html). */
describe('validation on the server', () => {
  let t: TestServer;
  beforeAll(async () => {
    const ig = await buildIgForTest();
    t = await startTestServer('sqlite', { DEMO_DATA: 'true', IG_DIR: ig.igDir });
  }, 120000);
  afterAll(async () => t.stop());

  const goal = () => example('story/goal-lucie-marcher-fleuve.json');
  const goalWithoutWords = () => example('invalid/life-goal-no-text.json');

  test('$validate: Parameters or bare resource, at system, type and instance level', async () => {
    const ok = await t.fhir('Goal/$validate', { body: { resourceType: 'Parameters', parameter: [{ name: 'resource', resource: goal() }] } });
    expect(ok.status).toBe(200);
    expect(ok.body.resourceType).toBe('OperationOutcome');
    expect(errorsOf(ok.body)).toEqual([]);

    const bad = await t.fhir('$validate', { body: goalWithoutWords() });
    expect(bad.status).toBe(200);
    expect(errorsOf(bad.body).length).toBeGreaterThan(0);
    expect(errorsOf(bad.body).some((i) => (i.expression ?? []).some((e) => e.startsWith('Goal.description')))).toBe(true);

    const asProfile = await t.fhir(
      `Goal/$validate?profile=${encodeURIComponent('https://fhir.communautesoignante.ca/StructureDefinition/life-goal')}`,
      { body: { resourceType: 'Goal', lifecycleStatus: 'active', description: { text: 'x' }, subject: { reference: 'Patient/lucie-gagnon' } } },
    );
    expect(errorsOf(asProfile.body).length).toBeGreaterThan(0); // a life goal needs expressedBy and a life domain

    const update = await t.fhir('Goal/lucie-marcher-fleuve/$validate', {
      body: { resourceType: 'Parameters', parameter: [{ name: 'mode', valueCode: 'update' }, { name: 'resource', resource: goal() }] },
    });
    expect(errorsOf(update.body)).toEqual([]);
  });

  test('$validate answers on malformed resources too: the guide\'s profiles are looked for without trusting their JSON', async () => {
    const malformed = [
      { resourceType: 'Patient', meta: { profile: [5, {}] } },
      { resourceType: 'CarePlan', category: 'x' },
      { resourceType: 'CarePlan', category: [null, 5, { coding: 'x' }, { coding: [null, { system: 5 }] }] },
      { resourceType: 'CareTeam', participant: [null, { role: 'x' }] },
    ];
    for (const resource of malformed) {
      const res = await t.fhir(`${resource.resourceType}/$validate`, { body: resource });
      expect({ resource, status: res.status }).toEqual({ resource, status: 200 });
      expect(errorsOf(res.body).length).toBeGreaterThan(0);
    }
  });

  test('$validate refuses requests it cannot answer', async () => {
    expect((await t.fhir('Goal/$validate', { body: example('story/patient-lucie-gagnon.json') })).status).toBe(400);
    expect((await t.fhir('Goal/other-id/$validate?mode=update', { body: goal() })).status).toBe(400);
    expect((await t.fhir('Goal/$validate?mode=sideways', { body: goal() })).status).toBe(400);
    expect((await t.fhir('Goal/$validate', { body: { resourceType: 'Parameters', parameter: [] } })).status).toBe(400);
  });

  test('writes of the guide\'s resources that do not conform are refused with 422, and nothing is stored', async () => {
    const before = (await t.fhir('Goal?_summary=count')).body.total;
    const invalid = await t.fhir('Goal', { body: goalWithoutWords() });
    expect(invalid.status).toBe(422);
    expect(invalid.body.resourceType).toBe('OperationOutcome');
    expect(errorsOf(invalid.body).length).toBeGreaterThan(0);

    // recognised by its code even without meta.profile: a peer-support care plan without goals
    const plan = example('story/careplan-plan-accompagnement-lucie.json');
    delete plan.meta;
    delete plan.goal;
    delete plan.id;
    expect((await t.fhir('CarePlan', { body: plan })).status).toBe(422);

    const tx = await t.fhir('', {
      body: {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          { resource: { ...goal(), id: undefined }, request: { method: 'POST', url: 'Goal' } },
          { resource: goalWithoutWords(), request: { method: 'POST', url: 'Goal' } },
        ],
      },
    });
    expect(tx.status).toBe(422);
    expect((await t.fhir('Goal?_summary=count')).body.total).toBe(before);

    const valid = await t.fhir('Goal', { body: { ...goal(), id: undefined } });
    expect(valid.status).toBe(201);
    // resources outside the model are not held to the guide
    expect((await t.fhir('Observation', { body: { resourceType: 'Observation', status: 'final', code: { text: 'x' } } })).status).toBe(201);
  });

  test('the guide\'s definitions are served, and its search parameters work', async () => {
    const sd = await t.fhir('StructureDefinition?url=https://fhir.communautesoignante.ca/StructureDefinition/life-goal');
    expect(sd.body.total).toBe(1);
    expect(sd.body.entry[0].resource.snapshot.element.length).toBeGreaterThan(10);
    const cs = await t.fhir('CodeSystem?url=https://fhir.communautesoignante.ca/CodeSystem/life-domain');
    expect(cs.body.entry[0].resource.concept.length).toBeGreaterThan(5);
    const metadata = await t.fhir('metadata');
    const careTeam = metadata.body.rest[0].resource.find((r: { type: string }) => r.type === 'CareTeam');
    expect(careTeam.searchParam.map((p: { name: string }) => p.name)).toContain('participant-role');
    const teams = await t.fhir('CareTeam?participant-role=https://fhir.communautesoignante.ca/CodeSystem/care-team-role|patient-partenaire');
    expect(teams.body.entry.map((e: { resource: { id: string } }) => e.resource.id)).toEqual(['equipe-lucie-gagnon']);
    const goals = await t.fhir('Goal?life-domain=https://fhir.communautesoignante.ca/CodeSystem/life-domain|isolement-lien-social');
    expect(goals.status).toBe(200);
    expect(goals.body.total).toBeGreaterThan(0);
  });
});
