import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/** Two server processes' worth of state (two servers, two pools) over one PostgreSQL database behave as one server. */
describe('several servers over one PostgreSQL database', () => {
  let db: TestDatabase;
  let a: TestServer;
  let b: TestServer;
  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    a = await startTestServer('postgres', {}, db);
    b = await startTestServer('postgres', {}, db);
  });
  afterAll(async () => {
    await a.stop();
    await b.stop();
    await db.drop();
  });

  test('a write on one is read on the other, with the same version', async () => {
    const created = await a.fhir('Patient', { body: { resourceType: 'Patient', name: [{ family: 'Partagé' }] } });
    const read = await b.fhir(`Patient/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body.meta.versionId).toBe('1');
    expect((await b.fhir('Patient?name=partage')).body.total).toBe(1);
  });

  test('racing conditional creates across servers make one resource', async () => {
    const attempt = (server: TestServer) =>
      server.fhir('Patient', {
        headers: { 'if-none-exist': 'identifier=urn:mp|1' },
        body: { resourceType: 'Patient', identifier: [{ system: 'urn:mp', value: '1' }] },
      });
    const results = await Promise.all([a, b, a, b, a, b].map(attempt));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect((await a.fhir('Patient?identifier=urn:mp|1&_summary=count')).body.total).toBe(1);
  });

  test('version conflicts are decided by the database', async () => {
    const created = (await a.fhir('Patient', { body: { resourceType: 'Patient' } })).body;
    const results = await Promise.all(
      [a, b, a, b].map((server) => server.fhir(`Patient/${created.id}`, { method: 'PUT', headers: { 'if-match': 'W/"1"' }, body: created })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    const unconditional = await Promise.all([a, b, a, b].map((server) => server.fhir(`Patient/${created.id}`, { method: 'PUT', body: created })));
    const versions = unconditional.map((r) => Number(r.body.meta.versionId)).sort();
    expect(versions).toEqual([3, 4, 5, 6]); // no two writers got the same version
  });
});
