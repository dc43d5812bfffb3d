import { request } from 'node:http';
import { STORES } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/** A paging cursor as the server encodes one, made up. */
const cursor = (keys: unknown[]) => Buffer.from(JSON.stringify(['n', keys])).toString('base64url');

const patient = (family: string, extra: Record<string, unknown> = {}) => ({
  resourceType: 'Patient',
  name: [{ family, given: ['Émilie'] }],
  ...extra,
});

describe.each(STORES)('REST CRUD and versioning (%s)', (store) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(store);
  });
  afterAll(async () => t.stop());

  test('create assigns an id, returns 201 with Location, ETag and Last-Modified', async () => {
    const res = await t.fhir('Patient', { body: patient('Tremblay', { id: 'client-chosen' }) });
    expect(res.status).toBe(201);
    expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.id).not.toBe('client-chosen');
    expect(res.body.meta.versionId).toBe('1');
    expect(res.headers.get('location')).toBe(`${t.base}/Patient/${res.body.id}/_history/1`);
    expect(res.headers.get('etag')).toBe('W/"1"');
    expect(new Date(res.headers.get('last-modified')!).getTime()).toBeGreaterThan(0);
    expect(res.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
  });

  test('read, update, vread and delete, then 410 Gone', async () => {
    const created = (await t.fhir('Patient', { body: patient('Gagnon') })).body;
    const read = await t.fhir(`Patient/${created.id}`);
    expect(read.status).toBe(200);
    expect(read.body.name[0].family).toBe('Gagnon');

    const updated = await t.fhir(`Patient/${created.id}`, { method: 'PUT', body: { ...read.body, gender: 'female' } });
    expect(updated.status).toBe(200);
    expect(updated.body.meta.versionId).toBe('2');
    expect(updated.headers.get('etag')).toBe('W/"2"');

    const v1 = await t.fhir(`Patient/${created.id}/_history/1`);
    expect(v1.status).toBe(200);
    expect(v1.body.gender).toBeUndefined();
    expect((await t.fhir(`Patient/${created.id}/_history/9`)).status).toBe(404);

    const deleted = await t.fhir(`Patient/${created.id}`, { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    expect(deleted.body.resourceType).toBe('OperationOutcome');
    const gone = await t.fhir(`Patient/${created.id}`);
    expect(gone.status).toBe(410);
    expect(gone.body.resourceType).toBe('OperationOutcome');
    // history survives the delete
    const history = await t.fhir(`Patient/${created.id}/_history`);
    expect(history.body.total).toBe(3);
    expect(history.body.entry[0].request.method).toBe('DELETE');
    // deleting again is idempotent
    expect((await t.fhir(`Patient/${created.id}`, { method: 'DELETE' })).status).toBe(200);
  });

  test('update creates the resource when the id is new (upsert), then updates', async () => {
    const first = await t.fhir('Patient/upsert-1', { method: 'PUT', body: patient('Roy', { id: 'upsert-1' }) });
    expect(first.status).toBe(201);
    expect(first.headers.get('location')).toContain('/Patient/upsert-1/_history/1');
    const second = await t.fhir('Patient/upsert-1', { method: 'PUT', body: patient('Roy', { id: 'upsert-1', active: true }) });
    expect(second.status).toBe(200);
    expect(second.body.meta.versionId).toBe('2');
  });

  test('If-Match: a stale version is refused with 412, the current one accepted', async () => {
    const created = (await t.fhir('Patient', { body: patient('Côté') })).body;
    const stale = await t.fhir(`Patient/${created.id}`, { method: 'PUT', headers: { 'if-match': 'W/"7"' }, body: created });
    expect(stale.status).toBe(412);
    expect(stale.body.resourceType).toBe('OperationOutcome');
    const ok = await t.fhir(`Patient/${created.id}`, { method: 'PUT', headers: { 'if-match': 'W/"1"' }, body: created });
    expect(ok.status).toBe(200);
    const staleDelete = await t.fhir(`Patient/${created.id}`, { method: 'DELETE', headers: { 'if-match': 'W/"1"' } });
    expect(staleDelete.status).toBe(412);
    expect((await t.fhir(`Patient/${created.id}`)).status).toBe(200);
  });

  test('conditional read: If-None-Match and If-Modified-Since answer 304', async () => {
    const created = await t.fhir('Patient', { body: patient('Bouchard') });
    const id = created.body.id;
    expect((await t.fhir(`Patient/${id}`, { headers: { 'if-none-match': 'W/"1"' } })).status).toBe(304);
    expect((await t.fhir(`Patient/${id}`, { headers: { 'if-none-match': 'W/"2"' } })).status).toBe(200);
    const later = new Date(Date.now() + 60000).toUTCString();
    expect((await t.fhir(`Patient/${id}`, { headers: { 'if-modified-since': later } })).status).toBe(304);
    const earlier = new Date(Date.now() - 3600000).toUTCString();
    expect((await t.fhir(`Patient/${id}`, { headers: { 'if-modified-since': earlier } })).status).toBe(200);
  });

  test('Prefer: return=minimal and return=OperationOutcome', async () => {
    const minimal = await t.fhir('Patient', { headers: { prefer: 'return=minimal' }, body: patient('Lavoie') });
    expect(minimal.status).toBe(201);
    expect(minimal.body).toBeUndefined();
    expect(minimal.headers.get('location')).toContain('/Patient/');
    const oo = await t.fhir('Patient', { headers: { prefer: 'return=OperationOutcome' }, body: patient('Lavoie') });
    expect(oo.body.resourceType).toBe('OperationOutcome');
  });

  test('bad input gets a clear 4xx OperationOutcome and writes nothing', async () => {
    const before = (await t.fhir('Patient?_summary=count')).body.total;
    const cases: [string, Parameters<TestServer['fhir']>[1], number][] = [
      ['Patient', { body: '{not json', raw: true }, 400],
      ['Patient', { body: { resourceType: 'Observation', status: 'final' } }, 400],
      ['Patient', { body: [1, 2] }, 400],
      ['Patient', { body: { name: [] } }, 400],
      ['Patient', { body: { resourceType: 'Patient', id: 'bad id!' } }, 400],
      ['Patient/abc', { method: 'PUT', body: patient('X', { id: 'xyz' }) }, 400],
      ['Patient/abc', { method: 'PUT', body: patient('X') }, 400],
      ['Patient', { body: '<Patient/>', raw: true, headers: { 'content-type': 'application/fhir+xml' } }, 415],
      ['Patient', { body: 'x', raw: true, headers: { 'content-type': 'text/plain' } }, 415],
      ['Unknown', { body: { resourceType: 'Unknown' } }, 404],
      ['Patient/bad id!', {}, 400],
      ['Patient/nope', {}, 404],
      ['Patient/nope/_history/1', {}, 404],
      ['Patient', { method: 'PUT', body: patient('X') }, 405],
      ['Patient?birthdate=yesterday', {}, 400],
      ['Patient?_count=lots', {}, 400],
      ['Patient?_sort=nonsense', {}, 400],
      ['Patient?_cursor=garbage', {}, 400],
      // Cursors of the right length with keys of the wrong kinds: a sort's number as text, a BIGINT out of range.
      [`Patient?_sort=birthdate&_cursor=${cursor(['abc', 'x', 'y', 'z'])}`, {}, 400],
      [`Patient?_sort=birthdate&_cursor=${cursor([0, 'abc', 'Patient', 'x'])}`, {}, 400],
      [`_history?_cursor=${cursor([1e308, 'Patient', 'x', 1])}`, {}, 400],
      [`Observation?_sort=date&_cursor=${cursor([0, 1.5, 'Observation', 'x'])}`, {}, 400],
      [`Patient?_cursor=${cursor(['Pat\u0000ient', 'a'])}`, {}, 400],
      [`Patient/$everything?_cursor=${cursor(['Patient'])}`, {}, 400],
      ['Patient/_search', { body: { name: 'x' } }, 415],
      ['Patient', { body: [{ op: 'add', path: '/active', value: true }], headers: { 'content-type': 'application/json-patch+json' } }, 415],
      ['metadata', { method: 'PUT', body: patient('X') }, 405],
      ['Patient', { body: 'name=x', raw: true, headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 415],
      ['Patient', { method: 'DELETE', body: 'name=x', raw: true, headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 415],
      ['Patient', { body: patient('X'), headers: { 'content-type': 'application/fhir+json; fhirVersion=3.0' } }, 415],
      ['Patient/x%2F_history%2F1', {}, 400],
      ['Patient?name:fuzzy=x', {}, 400],
      ['metadata?_format=xml', {}, 406],
      ['Patient', { body: { resourceType: 'Patient', meta: { profile: 'http://a/profile' } } }, 400],
      ['Patient', { body: { resourceType: 'Patient', meta: { tag: [5] } } }, 400],
      ['Patient', { body: { resourceType: 'Patient', name: [{ family: 'a\u0000b' }] } }, 400],
      ['Patient', { body: '{"resourceType":"Patient","name":[{"family":"\\ud800"}]}', raw: true }, 400],
      ['Patient?identifier=a%00|b', {}, 400],
      ['Patient', { headers: { 'if-none-exist': 'name=%00' }, body: patient('X') }, 400],
      ['Patient?_has:Observation:patient:nope=1', {}, 400],
      ['Patient', { body: { resourceType: 'Patient', birthDate: 19700228 } }, 400],
      ['Patient', { body: { resourceType: 'Patient', telecom: { system: 'phone' } } }, 400],
      ['Patient', { body: { resourceType: 'Patient', nickname: 'Mimi' } }, 400],
    ];
    for (const [path, init, status] of cases) {
      const res = await t.fhir(path, init);
      expect({ path, status: res.status }).toEqual({ path, status });
      expect(res.body.resourceType).toBe('OperationOutcome');
      expect(res.body.issue[0].diagnostics.length).toBeGreaterThan(5);
    }
    expect((await t.fhir('Patient?_summary=count')).body.total).toBe(before);
  });

  test('deeply nested and oversized bodies are refused', async () => {
    let nested: unknown = 'x';
    for (let i = 0; i < 500; i++) nested = { a: nested };
    const deep = await t.fhir('Patient', { body: { resourceType: 'Patient', extension: [nested] } });
    expect(deep.status).toBe(400);
    const huge = await t.fhir('Patient', { body: patient('X', { text: { status: 'generated', div: 'x'.repeat(17 * 1024 * 1024) } }) });
    expect(huge.status).toBe(413);
    // Sent in chunks, without Content-Length, the size is known only while reading: the 413 must still arrive.
    const chunked = await new Promise<{ status?: number; body: string }>((resolve, reject) => {
      void t.token().then((token) => {
        const req = request(`${t.base}/Patient`, { method: 'POST', headers: { 'content-type': 'application/fhir+json', authorization: `Bearer ${token}` } }, (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode, body }));
        });
        req.on('error', reject);
        const chunk = 'x'.repeat(1024 * 1024);
        req.write('{"resourceType":"Patient","text":{"status":"generated","div":"');
        for (let i = 0; i < 17; i++) req.write(chunk);
        req.end('"}}');
      });
    });
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body).resourceType).toBe('OperationOutcome');
  });

  test('a JSON Patch that fast-json-patch refuses outright is a 400, and changes nothing', async () => {
    const created = (await t.fhir('Patient', { body: patient('Bouchard') })).body;
    for (const operations of [[{ op: 'add', path: '/__proto__/polluted', value: 1 }], [{ op: 'move', from: '/name', path: '/name/0' }]]) {
      const res = await t.fhir(`Patient/${created.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json-patch+json' }, body: operations });
      expect(res.status).toBe(400);
      expect(res.body.issue[0].diagnostics).toMatch(/JSON Patch/);
    }
    expect((await t.fhir(`Patient/${created.id}`)).body.meta.versionId).toBe('1');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('JSON Patch and FHIRPath Patch, version-checked', async () => {
    const created = (await t.fhir('Patient', { body: patient('Pelletier', { active: false }) })).body;
    const jsonPatch = await t.fhir(`Patient/${created.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json-patch+json', 'if-match': 'W/"1"' },
      body: [{ op: 'replace', path: '/active', value: true }, { op: 'add', path: '/gender', value: 'female' }],
    });
    expect(jsonPatch.status).toBe(200);
    expect(jsonPatch.body).toMatchObject({ active: true, gender: 'female', meta: { versionId: '2' } });

    const stale = await t.fhir(`Patient/${created.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json-patch+json', 'if-match': 'W/"1"' },
      body: [{ op: 'replace', path: '/active', value: false }],
    });
    expect(stale.status).toBe(412);

    const fhirPathPatch = await t.fhir(`Patient/${created.id}`, {
      method: 'PATCH',
      body: {
        resourceType: 'Parameters',
        parameter: [
          { name: 'operation', part: [{ name: 'type', valueCode: 'replace' }, { name: 'path', valueString: 'Patient.name[0].family' }, { name: 'value', valueString: 'Pelletier-Roy' }] },
          { name: 'operation', part: [{ name: 'type', valueCode: 'add' }, { name: 'path', valueString: 'Patient' }, { name: 'name', valueString: 'birthDate' }, { name: 'value', valueDate: '1975-04-01' }] },
          { name: 'operation', part: [{ name: 'type', valueCode: 'delete' }, { name: 'path', valueString: 'Patient.gender' }] },
        ],
      },
    });
    expect(fhirPathPatch.status).toBe(200);
    expect(fhirPathPatch.body.name[0].family).toBe('Pelletier-Roy');
    expect(fhirPathPatch.body.birthDate).toBe('1975-04-01');
    expect(fhirPathPatch.body.gender).toBeUndefined();

    const changeId = await t.fhir(`Patient/${created.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json-patch+json' },
      body: [{ op: 'replace', path: '/id', value: 'other' }],
    });
    expect(changeId.status).toBe(422);
    const badPath = await t.fhir(`Patient/${created.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json-patch+json' },
      body: [{ op: 'remove', path: '/doesNotExist' }],
    });
    expect([400, 422]).toContain(badPath.status);
    expect((await t.fhir(`Patient/${created.id}`)).body.meta.versionId).toBe('3');
  });

  test('JSON Patch: a patch that does not fit this version is 422, a malformed one 400, a stale one 412 first', async () => {
    const created = (await t.fhir('Patient', { body: patient('Gauthier', { active: true }) })).body;
    const jsonPatch = (operations: unknown, ifMatch?: string) =>
      t.fhir(`Patient/${created.id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json-patch+json', ...(ifMatch ? { 'if-match': ifMatch } : {}) },
        body: operations,
      });
    const failingTest = [{ op: 'test', path: '/active', value: false }, { op: 'replace', path: '/active', value: false }];
    expect((await jsonPatch(failingTest)).status).toBe(422);
    expect((await jsonPatch([{ op: 'remove', path: '/birthDate' }])).status).toBe(422);
    expect((await jsonPatch(failingTest, 'W/"9"')).status).toBe(412);
    expect((await jsonPatch([{ op: 'frobnicate', path: '/active' }])).status).toBe(400);
    expect((await jsonPatch([{ op: 'replace', path: '/__proto__/x', value: 1 }])).status).toBe(400);
    expect((await t.fhir(`Patient/${created.id}`)).body.meta.versionId).toBe('1');
  });

  test('FHIRPath Patch add: a repeating element becomes a list, one that does not repeat is added once', async () => {
    const created = (await t.fhir('Patient', { body: patient('Gagnon') })).body;
    const add = (path: string, name: string, value: Record<string, unknown>) =>
      t.fhir(`Patient/${created.id}`, {
        method: 'PATCH',
        body: {
          resourceType: 'Parameters',
          parameter: [{ name: 'operation', part: [{ name: 'type', valueCode: 'add' }, { name: 'path', valueString: path }, { name: 'name', valueString: name }, { name: 'value', ...value }] }],
        },
      });
    const telecom = await add('Patient', 'telecom', { valueContactPoint: { system: 'phone', value: '514-555-0100' } });
    expect(telecom.status).toBe(200);
    expect(telecom.body.telecom).toEqual([{ system: 'phone', value: '514-555-0100' }]);
    expect((await add('Patient.name[0]', 'prefix', { valueString: 'Mme' })).body.name[0].prefix).toEqual(['Mme']);
    expect((await add('Patient', 'gender', { valueCode: 'female' })).body.gender).toBe('female');
    expect((await add('Patient', 'gender', { valueCode: 'male' })).status).toBe(422);
    expect((await add('Patient.gender', 'foo', { valueString: 'v' })).status).toBe(422);
    expect((await add('Patient', '__proto__', { valueString: 'v' })).status).toBe(400);
    expect((await t.fhir(`Patient/${created.id}`)).body.meta.versionId).toBe('4');
  });

  test('FHIRPath Patch on choice elements, by their name without the type; no regular expressions in paths', async () => {
    const created = (await t.fhir('Observation', { body: { resourceType: 'Observation', status: 'final', code: { text: 'c' }, valueQuantity: { value: 1, unit: 'kg' } } })).body;
    const patch = (...operations: { type: string; path: string; name?: string; value?: Record<string, unknown> }[]) =>
      t.fhir(`Observation/${created.id}`, {
        method: 'PATCH',
        body: {
          resourceType: 'Parameters',
          parameter: operations.map((o) => ({
            name: 'operation',
            part: [
              { name: 'type', valueCode: o.type },
              { name: 'path', valueString: o.path },
              ...(o.name ? [{ name: 'name', valueString: o.name }] : []),
              ...(o.value ? [{ name: 'value', ...o.value }] : []),
            ],
          })),
        },
      });
    const replaced = await patch({ type: 'replace', path: 'Observation.value', value: { valueQuantity: { value: 2, unit: 'kg' } } });
    expect(replaced.status).toBe(200);
    expect(replaced.body.valueQuantity.value).toBe(2);
    const retyped = await patch({ type: 'replace', path: 'Observation.value', value: { valueString: 'two' } });
    expect(retyped.body.valueString).toBe('two');
    expect(retyped.body.valueQuantity).toBeUndefined();
    const deleted = await patch({ type: 'delete', path: 'Observation.value' });
    expect(deleted.body.valueString).toBeUndefined();
    const added = await patch({ type: 'add', path: 'Observation', name: 'effective', value: { valueDateTime: '2024-05-17' } });
    expect(added.body.effectiveDateTime).toBe('2024-05-17');
    expect((await patch({ type: 'add', path: 'Observation', name: 'effective', value: { valueDateTime: '2024-05-18' } })).status).toBe(422);
    expect((await patch({ type: 'delete', path: "Observation.code.where(text.matches('^(c+)+$'))" })).status).toBe(400);
  });

  test('If-Match takes a list of ETags, or * for any current version', async () => {
    const created = (await t.fhir('Patient', { body: patient('Caron') })).body;
    const put = (ifMatch: string) => t.fhir(`Patient/${created.id}`, { method: 'PUT', headers: { 'if-match': ifMatch }, body: { ...created, active: true } });
    expect((await put('*')).status).toBe(200);
    expect((await put('W/"1", W/"2"')).status).toBe(200);
    expect((await put('W/"1", W/"2"')).status).toBe(412);
    expect((await t.fhir('Patient/never-created', { method: 'PUT', headers: { 'if-match': '*' }, body: { ...created, id: 'never-created' } })).status).toBe(412);
  });

  test('history at type and system level with _since and _count paging', async () => {
    const since = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    for (let i = 0; i < 3; i++) await t.fhir('Observation', { body: { resourceType: 'Observation', status: 'final', code: { text: `h${i}` } } });
    const typeHistory = await t.fhir(`Observation/_history?_since=${encodeURIComponent(since)}&_count=2`);
    expect(typeHistory.status).toBe(200);
    expect(typeHistory.body.type).toBe('history');
    expect(typeHistory.body.total).toBe(3);
    expect(typeHistory.body.entry).toHaveLength(2);
    const next = typeHistory.body.link.find((l: { relation: string }) => l.relation === 'next');
    // a new version between pages does not shift the next page
    await t.fhir('Observation', { body: { resourceType: 'Observation', status: 'final', code: { text: 'late' } } });
    const page2 = await t.fhir(next.url);
    expect(page2.body.entry).toHaveLength(1);
    expect(page2.body.entry[0].resource.code.text).toBe('h0');
    const back = await t.fhir(page2.body.link.find((l: { relation: string }) => l.relation === 'previous').url);
    expect(back.body.entry.map((e: { resource: { code: { text: string } } }) => e.resource.code.text)).toEqual(['h2', 'h1']);
    // Requests now carry an access context, so reads of patient data are audited: AuditEvents (written
    // asynchronously) join the system history and are left out of the count.
    const system = await t.fhir(`_history?_since=${encodeURIComponent(since)}&_count=1000`);
    const notAudit = (system.body.entry as { resource?: { resourceType: string }; request?: { url: string } }[]).filter(
      (e) => (e.resource?.resourceType ?? e.request?.url.split('/')[0]) !== 'AuditEvent',
    );
    expect(notAudit).toHaveLength(4);
    expect((await t.fhir('_history?_since=notadate')).status).toBe(400);
  });

  test('deletions are entries of type and system history, pages full', async () => {
    const since = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await t.fhir('Basic', { body: { resourceType: 'Basic', code: { text: `d${i}` } } })).body.id);
    expect((await t.fhir(`Basic/${ids[1]}`, { method: 'DELETE' })).status).toBe(200);
    const entries: { request: { method: string; url: string } }[] = [];
    let page = await t.fhir(`Basic/_history?_since=${encodeURIComponent(since)}&_count=2`);
    expect(page.body.total).toBe(4);
    for (;;) {
      expect(page.body.entry.length).toBe(Math.min(2, 4 - entries.length));
      entries.push(...page.body.entry);
      const next = page.body.link.find((l: { relation: string }) => l.relation === 'next');
      if (!next) break;
      page = await t.fhir(next.url);
    }
    expect(entries.map((e) => e.request.method)).toEqual(['DELETE', 'POST', 'POST', 'POST']);
    expect(entries[0].request.url).toBe(`Basic/${ids[1]}`);
    // _since is "at or after" its instant: a version written at exactly that instant is in.
    const second = (await t.fhir(`Basic/${ids[2]}`)).body;
    const atSince = await t.fhir(`Basic/${ids[2]}/_history?_since=${encodeURIComponent(second.meta.lastUpdated)}`);
    expect(atSince.body.entry.map((e: { response: { etag: string } }) => e.response.etag)).toEqual(['W/"1"']);
    const system = await t.fhir(`_history?_since=${encodeURIComponent(since)}&_count=1000`);
    expect(system.body.entry.some((e: { request: { method: string; url: string } }) => e.request.method === 'DELETE' && e.request.url === `Basic/${ids[1]}`)).toBe(true);
  });

  test('$meta, $meta-add and $meta-delete', async () => {
    const created = (await t.fhir('Patient', { body: patient('Fortin') })).body;
    const tag = { system: 'http://example.org/tags', code: 'demo' };
    const add = await t.fhir(`Patient/${created.id}/$meta-add`, {
      body: { resourceType: 'Parameters', parameter: [{ name: 'meta', valueMeta: { tag: [tag], profile: ['http://example.org/p'] } }] },
    });
    expect(add.status).toBe(200);
    expect(add.body.parameter[0].valueMeta.tag).toEqual([tag]);
    expect((await t.fhir(`Patient?_tag=http://example.org/tags|demo`)).body.total).toBe(1);
    const meta = await t.fhir(`Patient/${created.id}/$meta`);
    expect(meta.body.parameter[0].valueMeta.profile).toEqual(['http://example.org/p']);
    const del = await t.fhir(`Patient/${created.id}/$meta-delete`, {
      body: { resourceType: 'Parameters', parameter: [{ name: 'meta', valueMeta: { tag: [tag] } }] },
    });
    expect(del.body.parameter[0].valueMeta.tag).toBeUndefined();
    expect((await t.fhir(`Patient?_tag=http://example.org/tags|demo`)).body.total).toBe(0);
    expect((await t.fhir(`Patient/${created.id}/$meta-add`, { body: { resourceType: 'Parameters' } })).status).toBe(400);
    const version = (await t.fhir(`Patient/${created.id}`)).body.meta.versionId;
    for (const valueMeta of [{ tag: 'x' }, { tag: [{ system: 5, code: 'x' }] }, { profile: 'http://example.org/p' }]) {
      const res = await t.fhir(`Patient/${created.id}/$meta-add`, { body: { resourceType: 'Parameters', parameter: [{ name: 'meta', valueMeta }] } });
      expect({ valueMeta, status: res.status }).toEqual({ valueMeta, status: 400 });
    }
    expect((await t.fhir(`Patient/${created.id}`)).body.meta.versionId).toBe(version);
  });

  test('$meta changes no version, reaches past versions, and answers at type and system level', async () => {
    const created = (await t.fhir('Observation', { body: { resourceType: 'Observation', status: 'final', code: { text: 'meta' } } })).body;
    const updated = (await t.fhir(`Observation/${created.id}`, { method: 'PUT', body: { ...created, status: 'amended' } })).body;
    const tag = (code: string) => ({ system: 'urn:meta-levels', code });
    const add = (path: string, code: string) =>
      t.fhir(`${path}/$meta-add`, { body: { resourceType: 'Parameters', parameter: [{ name: 'meta', valueMeta: { tag: [tag(code)] } }] } });

    const current = await add(`Observation/${created.id}`, 'current');
    expect(current.body.parameter[0].valueMeta).toMatchObject({ versionId: '2', lastUpdated: updated.meta.lastUpdated, tag: [tag('current')] });
    const read = (await t.fhir(`Observation/${created.id}`)).body;
    expect(read.meta).toMatchObject({ versionId: '2', lastUpdated: updated.meta.lastUpdated, tag: [tag('current')] });
    expect((await t.fhir(`Observation/${created.id}/_history`)).body.total).toBe(2);

    // A past version: changed where it is, not searchable (only current versions are), and the current one untouched.
    expect((await add(`Observation/${created.id}/_history/1`, 'past')).status).toBe(200);
    expect((await t.fhir(`Observation/${created.id}/_history/1/$meta`)).body.parameter[0].valueMeta.tag).toEqual([tag('past')]);
    expect((await t.fhir(`Observation/${created.id}/_history/1`)).body.meta.tag).toEqual([tag('past')]);
    expect((await t.fhir('Observation?_tag=urn:meta-levels|past')).body.total).toBe(0);
    expect((await t.fhir('Observation?_tag=urn:meta-levels|current')).body.total).toBe(1);

    const typeLevel = (await t.fhir('Observation/$meta')).body.parameter[0].valueMeta;
    expect(typeLevel.tag).toEqual(expect.arrayContaining([tag('current')]));
    expect(typeLevel.tag).not.toEqual(expect.arrayContaining([tag('past')]));
    expect((await t.fhir('$meta')).body.parameter[0].valueMeta.tag).toEqual(expect.arrayContaining([tag('current')]));
    expect((await t.fhir('Practitioner/$meta')).body.parameter[0].valueMeta.tag ?? []).not.toEqual(expect.arrayContaining([tag('current')]));
  });

  test('the CapabilityStatement lists what works', async () => {
    const res = await t.fhir('metadata');
    expect(res.status).toBe(200);
    expect(res.body.fhirVersion).toBe('4.0.1');
    const patientEntry = res.body.rest[0].resource.find((r: { type: string }) => r.type === 'Patient');
    const names = patientEntry.searchParam.map((p: { name: string }) => p.name);
    expect(names).toEqual(expect.arrayContaining(['name', 'birthdate', 'identifier', '_id', '_lastUpdated', 'general-practitioner']));
    expect(patientEntry.searchParam.every((p: { type: string }) => p.type !== 'special')).toBe(true);
    const observation = res.body.rest[0].resource.find((r: { type: string }) => r.type === 'Observation');
    expect(observation.searchParam.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['code-value-quantity', 'combo-code-value-quantity']));
    for (const { name } of observation.searchParam) {
      const probe = await t.fhir(`Observation?${name}:missing=false&_count=1`, { headers: { prefer: 'handling=strict' } });
      expect({ name, status: probe.status }).toEqual({ name, status: 200 });
    }
    expect(patientEntry.operation.map((o: { name: string }) => o.name)).toContain('everything');
    // every listed Patient search parameter is accepted by a strict search
    for (const name of names) {
      const probe = await t.fhir(`Patient?${name}:missing=true&_count=1`, { headers: { prefer: 'handling=strict' } });
      expect({ name, status: probe.status }).toEqual({ name, status: 200 });
    }
  });
});
