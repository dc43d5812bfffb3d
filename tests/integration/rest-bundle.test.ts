import { STORES } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

describe.each(STORES)('batch and transaction (%s)', (store) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(store);
  });
  afterAll(async () => t.stop());

  const count = async (query: string) => (await t.fhir(`${query}${query.includes('?') ? '&' : '?'}_summary=count`)).body.total;

  test('a transaction rewrites urn:uuid references and answers entries in request order', async () => {
    const res = await t.fhir('', {
      body: {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          {
            fullUrl: 'urn:uuid:11111111-1111-1111-1111-111111111111',
            resource: { resourceType: 'Observation', status: 'final', code: { text: 'mood' }, subject: { reference: 'urn:uuid:22222222-2222-2222-2222-222222222222' } },
            request: { method: 'POST', url: 'Observation' },
          },
          {
            fullUrl: 'urn:uuid:22222222-2222-2222-2222-222222222222',
            resource: { resourceType: 'Patient', identifier: [{ system: 'urn:test', value: 'tx-1' }] },
            request: { method: 'POST', url: 'Patient' },
          },
          { resource: { resourceType: 'Organization', id: 'tx-org', name: 'GMF' }, request: { method: 'PUT', url: 'Organization/tx-org' } },
          { request: { method: 'GET', url: 'Organization/tx-org' } },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.type).toBe('transaction-response');
    const [obs, pat, org, get] = res.body.entry;
    expect(obs.response.status).toBe('201');
    expect(pat.response.status).toBe('201');
    expect(org.response.status).toBe('201');
    expect(get.response.status).toBe('200'); // reads run last, so the PUT is visible
    expect(get.resource.name).toBe('GMF');
    expect(obs.resource.subject.reference).toBe(`Patient/${pat.resource.id}`);
    expect(obs.response.location).toMatch(/Observation\/.+\/_history\/1$/);
  });

  test('a transaction is all or nothing', async () => {
    const before = await count('Patient');
    const res = await t.fhir('', {
      body: {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          { resource: { resourceType: 'Patient', name: [{ family: 'Lost' }] }, request: { method: 'POST', url: 'Patient' } },
          { resource: { resourceType: 'Patient', id: 'a' }, request: { method: 'PUT', url: 'Patient/b' } },
        ],
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.issue[0].diagnostics).toContain('Bundle.entry[1]');
    expect(await count('Patient')).toBe(before);
  });

  test('conditional create in a transaction and conditional references', async () => {
    const bundle = (family: string) => ({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          fullUrl: 'urn:uuid:aaaaaaaa-0000-0000-0000-000000000001',
          resource: { resourceType: 'Patient', identifier: [{ system: 'urn:ramq', value: 'COND1' }], name: [{ family }] },
          request: { method: 'POST', url: 'Patient', ifNoneExist: 'identifier=urn:ramq|COND1' },
        },
        {
          resource: { resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject: { reference: 'urn:uuid:aaaaaaaa-0000-0000-0000-000000000001' } },
          request: { method: 'POST', url: 'Observation' },
        },
      ],
    });
    const first = await t.fhir('', { body: bundle('First') });
    const second = await t.fhir('', { body: bundle('Second') });
    expect(first.body.entry[0].response.status).toBe('201');
    expect(second.body.entry[0].response.status).toBe('200');
    const patientId = first.body.entry[0].resource.id;
    expect(second.body.entry[1].resource.subject.reference).toBe(`Patient/${patientId}`);
    expect(await count('Patient?identifier=urn:ramq|COND1')).toBe(1);

    const conditionalRef = await t.fhir('', {
      body: {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [{
          resource: { resourceType: 'Observation', status: 'final', code: { text: 'y' }, subject: { reference: 'Patient?identifier=urn:ramq|COND1' } },
          request: { method: 'POST', url: 'Observation' },
        }],
      },
    });
    expect(conditionalRef.body.entry[0].resource.subject.reference).toBe(`Patient/${patientId}`);
    const unresolved = await t.fhir('', {
      body: {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [{ resource: { resourceType: 'Observation', status: 'final', code: { text: 'z' }, subject: { reference: 'Patient?identifier=urn:ramq|NONE' } }, request: { method: 'POST', url: 'Observation' } }],
      },
    });
    expect(unresolved.status).toBe(412);
  });

  test('conditional entries resolve after the deletes, once per criteria, and references to them follow', async () => {
    const tx = (entry: unknown[]) => t.fhir('', { body: { resourceType: 'Bundle', type: 'transaction', entry } });
    const patient = (value: string, extra: Record<string, unknown> = {}) => ({ resourceType: 'Patient', identifier: [{ system: 'urn:cond', value }], ...extra });
    const observation = (reference: string) => ({ resourceType: 'Observation', status: 'final', code: { text: 'o' }, subject: { reference } });
    const subjectExists = async (entry: { resource: { subject: { reference: string } } }) => (await t.fhir(entry.resource.subject.reference)).status === 200;

    // Two conditional creates with the same criteria write one resource; both fullUrls name it.
    const twice = await tx([
      { fullUrl: 'urn:uuid:c1', resource: patient('TWICE'), request: { method: 'POST', url: 'Patient', ifNoneExist: 'identifier=urn:cond|TWICE' } },
      { fullUrl: 'urn:uuid:c2', resource: patient('TWICE'), request: { method: 'POST', url: 'Patient', ifNoneExist: 'identifier=urn:cond|TWICE' } },
      { resource: observation('urn:uuid:c2'), request: { method: 'POST', url: 'Observation' } },
    ]);
    expect(twice.status).toBe(200);
    expect(twice.body.entry.map((e: { response: { status: string } }) => e.response.status)).toEqual(['201', '200', '201']);
    expect(await count('Patient?identifier=urn:cond|TWICE')).toBe(1);
    expect(await subjectExists(twice.body.entry[2])).toBe(true);

    // A conditional update's fullUrl is rewritten too, whether it matches a resource or creates one.
    for (const value of ['TWICE', 'FRESH']) {
      const update = await tx([
        { fullUrl: 'urn:uuid:u1', resource: patient(value, { active: true }), request: { method: 'PUT', url: `Patient?identifier=urn:cond|${value}` } },
        { resource: observation('urn:uuid:u1'), request: { method: 'POST', url: 'Observation' } },
      ]);
      expect(update.status).toBe(200);
      expect(update.body.entry[1].resource.subject.reference).toBe(`Patient/${update.body.entry[0].resource.id}`);
    }

    // A deletion comes first: a conditional create that would have matched the deleted resource creates another.
    const doomed = (await t.fhir('Patient', { body: patient('DOOMED') })).body;
    const recreate = await tx([
      { request: { method: 'DELETE', url: `Patient/${doomed.id}` } },
      { fullUrl: 'urn:uuid:d1', resource: patient('DOOMED'), request: { method: 'POST', url: 'Patient', ifNoneExist: 'identifier=urn:cond|DOOMED' } },
      { resource: observation('urn:uuid:d1'), request: { method: 'POST', url: 'Observation' } },
    ]);
    expect(recreate.status).toBe(200);
    expect(recreate.body.entry[1].response.status).toBe('201');
    expect(recreate.body.entry[1].resource.id).not.toBe(doomed.id);
    expect(await subjectExists(recreate.body.entry[2])).toBe(true);
  });

  test('every link to an entry is rewritten: references, uri and url elements, narrative links; a placeholder naming none is refused', async () => {
    const binary = 'urn:uuid:0f0f0f0f-0000-4000-8000-000000000001';
    const patient = 'urn:uuid:0f0f0f0f-0000-4000-8000-000000000002';
    const res = await t.fhir('', {
      body: {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          { fullUrl: binary, resource: { resourceType: 'Binary', contentType: 'text/plain', data: 'QUJD' }, request: { method: 'POST', url: 'Binary' } },
          { fullUrl: patient, resource: { resourceType: 'Patient', name: [{ family: 'Liens' }] }, request: { method: 'POST', url: 'Patient' } },
          {
            resource: {
              resourceType: 'DocumentReference',
              status: 'current',
              text: { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml"><a href="${patient}">patient</a> <img src="${binary}"/></div>` },
              subject: { reference: patient },
              content: [{ attachment: { contentType: 'text/plain', url: binary } }],
              extension: [{ url: 'http://example.org/related', valueUri: patient }],
            },
            request: { method: 'POST', url: 'DocumentReference' },
          },
        ],
      },
    });
    expect(res.status).toBe(200);
    const [binaryId, patientId] = [res.body.entry[0].resource.id, res.body.entry[1].resource.id];
    const document = res.body.entry[2].resource;
    expect(document.subject.reference).toBe(`Patient/${patientId}`);
    expect(document.content[0].attachment.url).toBe(`Binary/${binaryId}`);
    expect(document.extension[0].valueUri).toBe(`Patient/${patientId}`);
    expect(document.text.div).toContain(`href="Patient/${patientId}"`);
    expect(document.text.div).toContain(`src="Binary/${binaryId}"`);

    const observation = { resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject: { reference: 'urn:uuid:0f0f0f0f-0000-4000-8000-0000000000ff' } };
    const dangling = await t.fhir('', { body: { resourceType: 'Bundle', type: 'transaction', entry: [{ resource: observation, request: { method: 'POST', url: 'Observation' } }] } });
    expect(dangling.status).toBe(400);
    const batch = await t.fhir('', { body: { resourceType: 'Bundle', type: 'batch', entry: [{ resource: observation, request: { method: 'POST', url: 'Observation' } }] } });
    expect(batch.body.entry[0].response.status).toBe('400');
  });

  test('fullUrls name their entries however they are written, and a failing entry is named', async () => {
    const tx = (entry: unknown[]) => t.fhir('', { body: { resourceType: 'Bundle', type: 'transaction', entry } });
    const observation = (reference: string, text = 'o') => ({ resourceType: 'Observation', status: 'final', code: { text }, subject: { reference } });
    // An absolute fullUrl, referred to relatively from an entry on the same base, or on ours.
    const elsewhere = await tx([
      { fullUrl: 'http://example.org/fhir/Patient/tmp-R', resource: { resourceType: 'Patient' }, request: { method: 'POST', url: 'Patient' } },
      { fullUrl: 'http://example.org/fhir/Observation/tmp-O', resource: observation('Patient/tmp-R'), request: { method: 'POST', url: 'Observation' } },
    ]);
    expect(elsewhere.body.entry[1].resource.subject.reference).toBe(`Patient/${elsewhere.body.entry[0].resource.id}`);
    const ours = await tx([
      { fullUrl: `${t.base}/Patient/tmp-S`, resource: { resourceType: 'Patient' }, request: { method: 'POST', url: 'Patient' } },
      { resource: observation('Patient/tmp-S'), request: { method: 'POST', url: 'Observation' } },
    ]);
    expect(ours.body.entry[1].resource.subject.reference).toBe(`Patient/${ours.body.entry[0].resource.id}`);
    // A PUT's fullUrl names the resource its URL names; narrative links in single quotes too.
    const put = await tx([
      { fullUrl: 'urn:uuid:0f0f0f0f-0000-4000-8000-0000000000a1', resource: { resourceType: 'Patient', id: 'put-named' }, request: { method: 'PUT', url: 'Patient/put-named' } },
      {
        resource: { ...observation('urn:uuid:0f0f0f0f-0000-4000-8000-0000000000a1'), text: { status: 'generated', div: "<div xmlns=\"http://www.w3.org/1999/xhtml\"><a href='urn:uuid:0f0f0f0f-0000-4000-8000-0000000000a1'>p</a></div>" } },
        request: { method: 'POST', url: 'Observation' },
      },
    ]);
    expect(put.body.entry[1].resource.subject.reference).toBe('Patient/put-named');
    expect(put.body.entry[1].resource.text.div).toContain("href='Patient/put-named'");
    // Identical conditional creates whose bodies their criteria do not match: one resource, the second answers with it.
    const unmatched = { resourceType: 'Patient', identifier: [{ system: 'urn:cond2', value: 'body' }] };
    const twice = await tx([
      { resource: unmatched, request: { method: 'POST', url: 'Patient', ifNoneExist: 'identifier=urn:cond2|criteria' } },
      { resource: unmatched, request: { method: 'POST', url: 'Patient', ifNoneExist: 'identifier=urn:cond2|criteria' } },
    ]);
    expect(twice.status).toBe(200);
    expect(twice.body.entry.map((e: { response: { status: string } }) => e.response.status)).toEqual(['201', '200']);
    expect(twice.body.entry[1].response.location).toBe(twice.body.entry[0].response.location);
    expect(await count('Patient?identifier=urn:cond2|body')).toBe(1);
    // A conditional create and a conditional update with the same criteria would both write one resource.
    const both = await tx([
      { resource: unmatched, request: { method: 'POST', url: 'Patient', ifNoneExist: 'identifier=urn:cond2|both' } },
      { resource: unmatched, request: { method: 'PUT', url: 'Patient?identifier=urn:cond2|both' } },
    ]);
    expect(both.status).toBe(400);
    // The failing entry is the one named, not the one that was running when the references were resolved.
    const failing = await tx([
      { resource: { resourceType: 'Patient' }, request: { method: 'POST', url: 'Patient' } },
      { resource: observation('Patient?identifier=urn:cond2|nobody'), request: { method: 'POST', url: 'Observation' } },
    ]);
    expect(failing.status).toBe(412);
    expect(failing.body.issue[0].expression).toEqual(['Bundle.entry[1]']);
    expect(failing.body.issue[0].diagnostics).not.toMatch(/entry\[0\]/);
  });

  test('a transaction touches each resource once, and holds no batch or transaction', async () => {
    const existing = (await t.fhir('Patient', { body: { resourceType: 'Patient', identifier: [{ system: 'urn:once', value: 'X' }] } })).body;
    const tx = (entry: unknown[]) => t.fhir('', { body: { resourceType: 'Bundle', type: 'transaction', entry } });
    const put = { resource: { ...existing, active: true }, request: { method: 'PUT', url: `Patient/${existing.id}` } };
    const del = { request: { method: 'DELETE', url: `Patient/${existing.id}` } };
    for (const entries of [[put, put], [del, put], [del, { request: { method: 'DELETE', url: 'Patient?identifier=urn:once|X' } }]]) {
      const res = await tx(entries);
      expect(res.status).toBe(400);
      expect(res.body.issue[0].diagnostics).toContain('once');
    }
    const nested = await tx([{ resource: { resourceType: 'Bundle', type: 'batch', entry: [] }, request: { method: 'POST', url: '/' } }]);
    expect(nested.status).toBe(400);
    expect((await t.fhir(`Patient/${existing.id}`)).body.meta.versionId).toBe('1');
  });

  test('concurrent transactions over the same resources neither deadlock nor lose a reference', async () => {
    const ids = ['lock-a', 'lock-b', 'lock-c', 'lock-d'];
    const puts = (order: string[], n: number) =>
      order.map((id) => ({ resource: { resourceType: 'Patient', id, name: [{ family: `run${n}` }] }, request: { method: 'PUT', url: `Patient/${id}` } }));
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, n) => t.fhir('', { body: { resourceType: 'Bundle', type: 'transaction', entry: puts(n % 2 ? ids : [...ids].reverse(), n) } })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(12).fill(200));
    expect((await t.fhir('Patient/lock-a')).body.meta.versionId).toBe('12');

    const withReference = () =>
      t.fhir('', {
        body: {
          resourceType: 'Bundle',
          type: 'transaction',
          entry: [
            { fullUrl: 'urn:uuid:race', resource: { resourceType: 'Patient', identifier: [{ system: 'urn:race', value: 'TX' }] }, request: { method: 'POST', url: 'Patient', ifNoneExist: 'identifier=urn:race|TX' } },
            { resource: { resourceType: 'Observation', status: 'final', code: { text: 'r' }, subject: { reference: 'urn:uuid:race' } }, request: { method: 'POST', url: 'Observation' } },
          ],
        },
      });
    const raced = await Promise.all(Array.from({ length: 10 }, withReference));
    expect(raced.map((r) => r.status)).toEqual(Array(10).fill(200));
    const patient = (await t.fhir('Patient?identifier=urn:race|TX')).body.entry;
    expect(patient).toHaveLength(1);
    expect(new Set(raced.map((r) => r.body.entry[1].resource.subject.reference))).toEqual(new Set([`Patient/${patient[0].resource.id}`]));
  });

  test('concurrent changes of one resource are not lost: $meta-add and PATCH read it under its lock', async () => {
    const created = (await t.fhir('Patient', { body: { resourceType: 'Patient', name: [{ family: 'Many' }] } })).body;
    const tags = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        t.fhir(`Patient/${created.id}/$meta-add`, {
          body: { resourceType: 'Parameters', parameter: [{ name: 'meta', valueMeta: { tag: [{ system: 'urn:tags', code: `t${i}` }] } }] },
        }),
      ),
    );
    expect(tags.map((r) => r.status)).toEqual(Array(8).fill(200));
    const patches = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        t.fhir(`Patient/${created.id}`, {
          method: 'PATCH',
          headers: { 'content-type': 'application/json-patch+json' },
          body: [{ op: 'add', path: '/name/-', value: { family: `n${i}` } }],
        }),
      ),
    );
    expect(patches.map((r) => r.status)).toEqual(Array(8).fill(200));
    const final = (await t.fhir(`Patient/${created.id}`)).body;
    expect(final.meta.tag).toHaveLength(8);
    expect(final.name).toHaveLength(9);
  });

  test('a batch answers each entry on its own', async () => {
    const res = await t.fhir('', {
      body: {
        resourceType: 'Bundle',
        type: 'batch',
        entry: [
          { resource: { resourceType: 'Patient', name: [{ family: 'Batch' }] }, request: { method: 'POST', url: 'Patient' } },
          { request: { method: 'GET', url: 'Patient/does-not-exist' } },
          { resource: { resourceType: 'Patient' }, request: { method: 'PUT', url: 'Observation/x' } },
          { request: { method: 'GET', url: 'Patient?name=batch' } },
          { request: { url: 'Patient' } },
          { resource: { resourceType: 'Patient', id: 'x' }, request: { method: 'PUT', url: 'Patient/x', ifMatch: 1 } },
          { resource: { resourceType: 'Patient', birthDate: 19700228 }, request: { method: 'POST', url: 'Patient' } },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.type).toBe('batch-response');
    expect(res.body.entry.map((e: { response: { status: string } }) => e.response.status)).toEqual(['201', '404', '400', '200', '400', '400', '400']);
    expect(res.body.entry[1].response.outcome.resourceType).toBe('OperationOutcome');
    expect(res.body.entry[3].resource.total).toBe(1);
  });

  test('malformed bundles are refused', async () => {
    expect((await t.fhir('', { body: { resourceType: 'Patient' } })).status).toBe(400);
    expect((await t.fhir('', { body: { resourceType: 'Bundle', type: 'collection' } })).status).toBe(400);
    expect((await t.fhir('', { body: { resourceType: 'Bundle', type: 'transaction', entry: {} } })).status).toBe(400);
    const dup = await t.fhir('', {
      body: {
        resourceType: 'Bundle', type: 'transaction',
        entry: [
          { fullUrl: 'urn:uuid:x', resource: { resourceType: 'Patient' }, request: { method: 'POST', url: 'Patient' } },
          { fullUrl: 'urn:uuid:x', resource: { resourceType: 'Patient' }, request: { method: 'POST', url: 'Patient' } },
        ],
      },
    });
    expect(dup.status).toBe(400);
    const envelope = (entry: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
      t.fhir('', { body: { resourceType: 'Bundle', type: 'batch', ...extra, entry: [{ resource: { resourceType: 'Patient' }, request: { method: 'POST', url: 'Patient' }, ...entry }] } });
    expect((await envelope({ fullUrl: 5 })).status).toBe(400);
    expect((await envelope({ colour: 'red' })).status).toBe(400);
    expect((await envelope({}, { colour: 'red' })).status).toBe(400);
    expect((await envelope({ response: { status: '201' } })).status).toBe(400);
    expect((await envelope({})).status).toBe(200);
  });

  test('two racing conditional creates make one resource', async () => {
    const attempt = () =>
      t.fhir('Patient', {
        headers: { 'if-none-exist': 'identifier=urn:race|R1' },
        body: { resourceType: 'Patient', identifier: [{ system: 'urn:race', value: 'R1' }] },
      });
    const results = await Promise.all(Array.from({ length: 8 }, attempt));
    expect(results.map((r) => r.status).sort()).toEqual(['200', '200', '200', '200', '200', '200', '200', '201'].map(Number));
    expect(await count('Patient?identifier=urn:race|R1')).toBe(1);
    const ids = new Set(results.map((r) => r.body.id));
    expect(ids.size).toBe(1);
  });

  test('conditional update and conditional delete follow the 0 / 1 / many rules', async () => {
    const put = (value: string, family: string) =>
      t.fhir(`Patient?identifier=urn:cu|${value}`, { method: 'PUT', body: { resourceType: 'Patient', identifier: [{ system: 'urn:cu', value }], name: [{ family }] } });
    const created = await put('A', 'One');
    expect(created.status).toBe(201);
    const updated = await put('A', 'Two');
    expect(updated.status).toBe(200);
    expect(updated.body.id).toBe(created.body.id);
    expect(updated.body.meta.versionId).toBe('2');
    await t.fhir('Patient', { body: { resourceType: 'Patient', identifier: [{ system: 'urn:cu', value: 'many' }] } });
    await t.fhir('Patient', { body: { resourceType: 'Patient', identifier: [{ system: 'urn:cu', value: 'many' }] } });
    expect((await put('many', 'x')).status).toBe(412);
    // No match, and the body names an existing, unrelated resource: not overwritten (R5 http.html#cond-update).
    const bystander = (await t.fhir('Patient', { body: { resourceType: 'Patient', name: [{ family: 'Bystander' }] } })).body;
    const stray = await t.fhir('Patient?identifier=urn:cu|nomatch', { method: 'PUT', body: { ...bystander, name: [{ family: 'Overwritten' }] } });
    expect(stray.status).toBe(409);
    expect((await t.fhir(`Patient/${bystander.id}`)).body.meta.versionId).toBe('1');
    expect((await t.fhir('Patient?identifier=urn:cu|many', { method: 'DELETE' })).status).toBe(412);
    expect((await t.fhir('Patient?identifier=urn:cu|A', { method: 'DELETE' })).status).toBe(200);
    expect((await t.fhir(`Patient/${created.body.id}`)).status).toBe(410);
    expect((await t.fhir('Patient?identifier=urn:cu|nobody', { method: 'DELETE' })).status).toBe(200);
    expect((await t.fhir('Patient?bogus=1', { method: 'DELETE' })).status).toBe(400);
  });

  test('concurrent updates with If-Match: exactly one wins', async () => {
    const created = (await t.fhir('Patient', { body: { resourceType: 'Patient', name: [{ family: 'Race' }] } })).body;
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        t.fhir(`Patient/${created.id}`, { method: 'PUT', headers: { 'if-match': 'W/"1"' }, body: { ...created, gender: i % 2 ? 'male' : 'female' } }),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 412)).toHaveLength(5);
    expect((await t.fhir(`Patient/${created.id}`)).body.meta.versionId).toBe('2');
  });
});
