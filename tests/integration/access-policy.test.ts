import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEvent } from 'fhir/r4.js';
import type { AccessContext, Permission, ScopeGrant } from '../../src/fhir/access-context.js';
import type { FhirContext, FhirRequest } from '../../src/fhir/fhir-request.js';
import { FhirError } from '../../src/fhir/outcomes.js';
import { route } from '../../src/fhir/router.js';
import { loadConfig } from '../../src/config/config.js';
import { createFhirContext } from '../../src/main.js';
import { migrate } from '../../src/storage/sql/migrations.js';
import { SqliteDriver } from '../../src/storage/sqlite/sqlite-driver.js';

/** The access decisions of the FHIR layer, driven through the router with real storage (no HTTP, no tokens). */
const grant = (level: ScopeGrant['level'], resourceType: string, permissions: string, query?: [string, string][]): ScopeGrant => ({
  level,
  resourceType,
  permissions: new Set(permissions.split('') as Permission[]),
  query,
});

describe('access policy: scopes enforced on every interaction', () => {
  let dir: string;
  let driver: SqliteDriver;
  let server: FhirContext;
  const as = (grants: ScopeGrant[], patient?: string): FhirContext => ({
    ...server,
    access: { clientId: 'test', scope: 'test', grants, patient } satisfies AccessContext,
  });
  const call = async (ctx: FhirContext, method: FhirRequest['method'], url: string, body?: unknown) => {
    const [path, query] = url.split('?');
    try {
      return await route(ctx, { method, path, query: [...new URLSearchParams(query ?? '')], body, headers: {} });
    } catch (err) {
      if (err instanceof FhirError) return { status: err.status, resource: err.outcome };
      throw err;
    }
  };
  const ids = (res: { resource?: unknown }) =>
    ((res.resource as { entry?: { resource: { resourceType: string; id: string } }[] }).entry ?? [])
      .filter((e) => e.resource.resourceType !== 'OperationOutcome')
      .map((e) => `${e.resource.resourceType}/${e.resource.id}`)
      .sort();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ccf-access-'));
    driver = new SqliteDriver({ filename: join(dir, 'db.sqlite') });
    await migrate(driver);
    server = await createFhirContext(driver, 'http://localhost/fhir', loadConfig({}));
    const put = (r: { resourceType: string; id: string; [k: string]: unknown }) => call(server, 'PUT', `${r.resourceType}/${r.id}`, r);
    await put({ resourceType: 'Practitioner', id: 'dr' });
    await put({ resourceType: 'Patient', id: 'p1', generalPractitioner: [{ reference: 'Practitioner/dr' }] });
    await put({ resourceType: 'Patient', id: 'p2' });
    const obs = (id: string, patient: string, category: string) => ({
      resourceType: 'Observation', id, status: 'final', code: { text: id }, subject: { reference: `Patient/${patient}` },
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: category }] }],
    });
    await put(obs('o1-lab', 'p1', 'laboratory'));
    await put(obs('o1-vital', 'p1', 'vital-signs'));
    await put(obs('o2-lab', 'p2', 'laboratory'));
  });
  afterAll(async () => {
    await server.audit?.flush();
    await driver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('patient/ read scopes see the launch patient and nothing of another', async () => {
    const ctx = as([grant('patient', '*', 'rs')], 'p1');
    expect((await call(ctx, 'GET', 'Patient/p1')).status).toBe(200);
    expect((await call(ctx, 'GET', 'Patient/p2')).status).toBe(403);
    expect((await call(ctx, 'GET', 'Observation/o2-lab')).status).toBe(403);
    expect((await call(ctx, 'GET', 'Observation/o2-lab/_history/1')).status).toBe(403);
    expect((await call(ctx, 'GET', 'Observation/o2-lab/_history')).status).toBe(403);
    expect(ids(await call(ctx, 'GET', 'Observation'))).toEqual(['Observation/o1-lab', 'Observation/o1-vital']);
    expect(ids(await call(ctx, 'GET', 'Observation?subject=Patient/p2'))).toEqual([]);
    expect(ids(await call(ctx, 'GET', 'Patient'))).toEqual(['Patient/p1']);
    expect(ids(await call(ctx, 'GET', '?_type=Patient,Observation&_id=p2,o2-lab,p1'))).toEqual(['Patient/p1']);
    // shared resources outside the patient compartment stay readable
    expect((await call(ctx, 'GET', 'Practitioner/dr')).status).toBe(200);
  });

  test('includes, revincludes, history and $everything do not leak', async () => {
    const ctx = as([grant('patient', '*', 'rs')], 'p1');
    const rev = await call(ctx, 'GET', 'Patient?_revinclude=Observation:subject');
    expect(ids(rev)).toEqual(['Observation/o1-lab', 'Observation/o1-vital', 'Patient/p1']);
    const history = await call(ctx, 'GET', 'Observation/_history');
    expect(ids(history)).toEqual(['Observation/o1-lab', 'Observation/o1-vital']);
    // the number of versions of every patient's observations is not told either
    expect((history.resource as { total?: number }).total).toBeUndefined();
    expect(((await call(as([grant('system', '*', 'rs')]), 'GET', 'Observation/_history')).resource as { total?: number }).total).toBe(3);
    expect((await call(ctx, 'GET', 'Patient/p2/$everything')).status).toBe(403);
    expect(ids(await call(ctx, 'GET', 'Patient/p1/$everything'))).toEqual(
      ['Observation/o1-lab', 'Observation/o1-vital', 'Patient/p1', 'Practitioner/dr'],
    );
  });

  test('writes must stay inside the granted compartment, and need the write permission', async () => {
    const reader = as([grant('patient', '*', 'rs')], 'p1');
    const writer = as([grant('patient', '*', 'cruds')], 'p1');
    const newObs = (patient: string) => ({ resourceType: 'Observation', status: 'final', code: { text: 'new' }, subject: { reference: `Patient/${patient}` } });
    expect((await call(reader, 'POST', 'Observation', newObs('p1'))).status).toBe(403);
    expect((await call(writer, 'POST', 'Observation', newObs('p1'))).status).toBe(201);
    expect((await call(writer, 'POST', 'Observation', newObs('p2'))).status).toBe(403);
    expect(ids(await call(server, 'GET', 'Observation?subject=Patient/p2'))).toEqual(['Observation/o2-lab']); // nothing stored
    const p2obs = (await call(server, 'GET', 'Observation/o2-lab')).resource as object;
    expect((await call(writer, 'PUT', 'Observation/o2-lab', { ...p2obs, status: 'amended' })).status).toBe(403);
    expect((await call(writer, 'DELETE', 'Observation/o2-lab')).status).toBe(403);
    // taking another patient's observation into one's own compartment is refused: it was out of reach as stored
    expect((await call(writer, 'PUT', 'Observation/o2-lab', { ...p2obs, subject: { reference: 'Patient/p1' } })).status).toBe(403);
    expect(((await call(server, 'GET', 'Observation/o2-lab')).resource as unknown as { subject: { reference: string } }).subject.reference).toBe('Patient/p2');
    // moving one's own observation to another patient is refused too
    const own = (await call(server, 'GET', 'Observation/o1-vital')).resource as object;
    expect((await call(writer, 'PUT', 'Observation/o1-vital', { ...own, subject: { reference: 'Patient/p2' } })).status).toBe(403);
    expect(((await call(server, 'GET', 'Observation/o1-vital')).resource as unknown as { subject: { reference: string } }).subject.reference).toBe('Patient/p1');
    // a conditional update cannot reach another patient's resource through its criteria
    const conditional = await call(writer, 'PUT', 'Observation?_id=o2-lab', { ...p2obs, id: undefined, status: 'cancelled' });
    expect(conditional.status).toBe(403);
    expect(((await call(server, 'GET', 'Observation/o2-lab')).resource as unknown as { status: string }).status).toBe('final');
  });

  test('granular scopes narrow by their query; user/ and system/ scopes are not confined to a patient', async () => {
    const lab = as([grant('patient', 'Observation', 'rs', [['category', 'laboratory']])], 'p1');
    expect(ids(await call(lab, 'GET', 'Observation'))).toEqual(['Observation/o1-lab']);
    expect((await call(lab, 'GET', 'Observation/o1-vital')).status).toBe(403);
    expect((await call(lab, 'GET', 'Patient/p1')).status).toBe(403);
    const user = as([grant('user', 'Observation', 'rs')]);
    expect(ids(await call(user, 'GET', 'Observation?category=laboratory'))).toEqual(['Observation/o2-lab', 'Observation/o1-lab'].sort());
    expect((await call(user, 'GET', 'Patient')).status).toBe(403);
    const system = as([grant('system', '*', 'rs')]);
    expect(ids(await call(system, 'GET', 'Patient'))).toEqual(['Patient/p1', 'Patient/p2']);
    expect((await call(system, 'POST', 'Patient', { resourceType: 'Patient' })).status).toBe(403);
    // a patient/ grant without a launch patient grants nothing
    expect((await call(as([grant('patient', '*', 'rs')]), 'GET', 'Observation')).status).toBe(403);
  });

  test('each access to patient data is recorded as an AuditEvent, refusals included', async () => {
    const ctx: FhirContext = { ...as([grant('patient', '*', 'rs')], 'p1'), access: { clientId: 'emr-app', scope: 'patient/*.rs', grants: [grant('patient', '*', 'rs')], patient: 'p1', fhirUser: 'Practitioner/dr' } };
    await call(ctx, 'GET', 'Observation/o1-lab');
    await call(ctx, 'GET', 'Observation/o2-lab');
    await call(ctx, 'GET', 'Observation?category=laboratory');
    await call(ctx, 'GET', 'Practitioner/dr'); // not patient data: not audited
    await server.audit!.flush();
    const events = ((await call(server, 'GET', 'AuditEvent?_count=50')).resource as unknown as { entry: { resource: AuditEvent }[] }).entry.map((e) => e.resource);
    const about = (ref: string) => events.filter((e) => e.entity?.some((x) => x.what?.reference === ref));
    expect(about('Observation/o1-lab')).toHaveLength(1);
    expect(about('Observation/o1-lab')[0]).toMatchObject({
      action: 'R',
      outcome: '0',
      subtype: [{ code: 'read' }],
      agent: expect.arrayContaining([expect.objectContaining({ who: { reference: 'Practitioner/dr' }, requestor: true })]),
    });
    expect(about('Observation/o2-lab')[0]).toMatchObject({ outcome: '4', outcomeDesc: 'HTTP 403' });
    const queries = events
      .filter((e) => e.subtype?.[0].code === 'search-type')
      .flatMap((e) => (e.entity ?? []).filter((x) => x.query).map((x) => Buffer.from(x.query!, 'base64').toString()));
    expect(queries).toContain('category=laboratory');
    expect(about('Practitioner/dr')).toHaveLength(0);
    expect(about('Observation/o1-lab')[0].agent.some((a) => a.who?.identifier?.value === 'emr-app')).toBe(true);
  });

  test('transactions check every entry and roll back on a refusal', async () => {
    const writer = as([grant('patient', '*', 'cruds')], 'p1');
    const before = ids(await call(server, 'GET', 'Observation?_count=100'));
    const res = await call(writer, 'POST', '', {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { resource: { resourceType: 'Observation', status: 'final', code: { text: 'a' }, subject: { reference: 'Patient/p1' } }, request: { method: 'POST', url: 'Observation' } },
        { resource: { resourceType: 'Observation', status: 'final', code: { text: 'b' }, subject: { reference: 'Patient/p2' } }, request: { method: 'POST', url: 'Observation' } },
      ],
    });
    expect(res.status).toBe(403);
    expect(ids(await call(server, 'GET', 'Observation?_count=100'))).toEqual(before);
  });

  test('type history shows deletions only to callers who may read the whole type', async () => {
    const gone = { resourceType: 'Observation', id: 'o1-gone', status: 'final', code: { text: 'gone' }, subject: { reference: 'Patient/p1' } };
    await call(server, 'PUT', 'Observation/o1-gone', gone);
    await call(server, 'DELETE', 'Observation/o1-gone');
    const deletions = async (ctx: FhirContext) => {
      const bundle = (await call(ctx, 'GET', 'Observation/_history')).resource as unknown as { entry: { request: { method: string; url: string } }[] };
      return bundle.entry.filter((e) => e.request.method === 'DELETE').map((e) => e.request.url);
    };
    expect(await deletions(as([grant('system', '*', 'rs')]))).toEqual(['Observation/o1-gone']);
    // Nothing of a deleted resource can be checked against the patient's compartment.
    expect(await deletions(as([grant('patient', '*', 'rs')], 'p1'))).toEqual([]);
  });
});
