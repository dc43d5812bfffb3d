import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { buildIgForTest } from '../ig/ig-test-build.js';

/** `npm start` serves the demo story and the implementation guide; both come through the real server. */
describe('demo data and the implementation guide on the server', () => {
  let db: TestDatabase;
  let t: TestServer;
  let env: Record<string, string>;
  beforeAll(async () => {
    const ig = await buildIgForTest();
    db = await createTestDatabase('sqlite');
    env = { DEMO_DATA: 'true', IG_DIR: ig.igDir };
    t = await startTestServer('sqlite', env, db);
  }, 120000);
  afterAll(async () => {
    await t.stop();
    await db.drop();
  });

  test('the story is loaded through transactions, with the care team history', async () => {
    expect((await t.fhir('Patient/lucie-gagnon')).status).toBe(200);
    expect((await t.fhir('Goal?subject=Patient/lucie-gagnon')).body.total).toBe(3);
    expect((await t.fhir('CareTeam/equipe-lucie-gagnon/_history')).body.total).toBe(2);
    const plan = await t.fhir('CarePlan?subject=lucie-gagnon&_include=CarePlan:goal&_include=CarePlan:care-team');
    expect(plan.body.entry.filter((e: { search: { mode: string } }) => e.search.mode === 'include')).toHaveLength(4);
  });

  test('a restart on the same database does not load the story again', async () => {
    await t.stop();
    t = await startTestServer('sqlite', env, db);
    expect((await t.fhir('Patient?_summary=count')).body.total).toBe(1);
    expect((await t.fhir('CareTeam/equipe-lucie-gagnon/_history')).body.total).toBe(2);
  });

  test('the guide is served: pages in French and English, and the FHIR package', async () => {
    const root = t.base.replace(/\/fhir$/, '');
    const fr = await fetch(`${root}/ig/fr/index.html`);
    expect(fr.status).toBe(200);
    expect(await fr.text()).toContain('lang="fr');
    expect((await fetch(`${root}/ig/en/index.html`)).status).toBe(200);
    const tgz = await fetch(`${root}/ig/package.tgz`);
    expect(tgz.status).toBe(200);
    expect(tgz.headers.get('content-type')).toContain('gzip');
    const bytes = new Uint8Array(await tgz.arrayBuffer());
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
    expect((await fetch(`${root}/ig/nothing-here.html`)).status).toBe(404);
  });
});
