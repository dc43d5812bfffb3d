import { randomBytes } from 'node:crypto';
import { STORES } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

type Entry = { resource: { resourceType: string; id: string; [k: string]: unknown }; search: { mode: string } };
const ids = (bundle: { entry?: Entry[] }, mode = 'match') =>
  (bundle.entry ?? []).filter((e) => e.search?.mode === mode).map((e) => e.resource.id).sort();

describe.each(STORES)('search (%s)', (store) => {
  let t: TestServer;
  const put = async (resource: Record<string, unknown>) => {
    const res = await t.fhir(`${resource.resourceType}/${resource.id}`, { method: 'PUT', body: resource });
    expect(res.status).toBeLessThan(300);
    return res.body;
  };

  beforeAll(async () => {
    t = await startTestServer(store);
    await put({ resourceType: 'Organization', id: 'clsc', name: 'CLSC des Faubourgs' });
    await put({ resourceType: 'Practitioner', id: 'dr-a', name: [{ family: 'Nguyen', given: ['Anh'] }] });
    await put({
      resourceType: 'Patient', id: 'p1', active: true, gender: 'female', birthDate: '1980-02-03',
      name: [{ family: 'Tremblay', given: ['Émilie'] }],
      identifier: [{ system: 'http://ramq.gouv.qc.ca', value: 'TREE80520312' }],
      telecom: [{ system: 'phone', value: '514-555-0101' }],
      address: [{ city: 'Montréal', postalCode: 'H2L 1A1' }],
      generalPractitioner: [{ reference: 'Practitioner/dr-a' }],
      managingOrganization: { reference: 'Organization/clsc' },
    });
    await put({
      resourceType: 'Patient', id: 'p2', active: false, gender: 'male', birthDate: '1955-11-30',
      name: [{ family: 'Tremblay-Roy', given: ['Jean'] }],
      identifier: [{ system: 'http://ramq.gouv.qc.ca', value: 'TREJ55113011' }],
      managingOrganization: { reference: 'Organization/clsc' },
    });
    await put({ resourceType: 'Patient', id: 'p3', gender: 'other', birthDate: '2001', name: [{ family: 'Côté', given: ['Sam'] }] });
    await put({
      resourceType: 'Observation', id: 'o1', status: 'final', subject: { reference: 'Patient/p1' },
      code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }] },
      valueQuantity: { value: 72, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
      effectiveDateTime: '2024-05-17T10:00:00Z',
    });
    await put({
      resourceType: 'Observation', id: 'o2', status: 'final', subject: { reference: 'Patient/p2' },
      code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
      valueQuantity: { value: 95.5, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
      effectivePeriod: { start: '2023-01-01', end: '2023-01-31' },
    });
    await put({
      resourceType: 'Observation', id: 'o3', status: 'preliminary', subject: { reference: 'Patient/p1' },
      code: { coding: [{ system: 'http://loinc.org', code: '29463-7', display: 'Body weight' }] },
      valueQuantity: { value: 60, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' },
    });
    await put({ resourceType: 'RiskAssessment', id: 'r1', status: 'final', subject: { reference: 'Patient/p1' }, prediction: [{ probabilityDecimal: 0.25 }] });
  });
  afterAll(async () => t.stop());

  const search = async (query: string) => {
    const res = await t.fhir(query);
    expect({ query, status: res.status }).toEqual({ query, status: 200 });
    return res.body;
  };

  test('string: default starts-with, case and accent insensitive; :exact and :contains', async () => {
    expect(ids(await search('Patient?name=tremblay'))).toEqual(['p1', 'p2']);
    expect(ids(await search('Patient?name=EMILIE'))).toEqual(['p1']);
    expect(ids(await search('Patient?family=cote'))).toEqual(['p3']);
    expect(ids(await search('Patient?family:exact=Tremblay'))).toEqual(['p1']);
    expect(ids(await search('Patient?family:exact=tremblay'))).toEqual([]);
    expect(ids(await search('Patient?family:contains=roy'))).toEqual(['p2']);
    expect(ids(await search('Patient?address-city=montreal'))).toEqual(['p1']);
    expect(ids(await search('Patient?name=jean,sam'))).toEqual(['p2', 'p3']);
    expect(ids(await search('Patient?name=tremblay&name=jean'))).toEqual(['p2']);
  });

  test('token: code, system|code, |code, system|, :not, :text, boolean', async () => {
    expect(ids(await search('Patient?gender=female'))).toEqual(['p1']);
    expect(ids(await search('Patient?identifier=http://ramq.gouv.qc.ca|TREJ55113011'))).toEqual(['p2']);
    expect(ids(await search('Patient?identifier=http://ramq.gouv.qc.ca|'))).toEqual(['p1', 'p2']);
    expect(ids(await search('Patient?identifier=http://other|TREJ55113011'))).toEqual([]);
    expect(ids(await search('Patient?gender:not=female'))).toEqual(['p2', 'p3']);
    expect(ids(await search('Observation?code:text=heart'))).toEqual(['o1']);
    expect(ids(await search('Patient?active=true'))).toEqual(['p1']);
    expect(ids(await search('Patient?phone=514-555-0101'))).toEqual(['p1']);
    expect(ids(await search('Observation?code=http://loinc.org|8867-4,http://loinc.org|29463-7'))).toEqual(['o1', 'o2', 'o3']);
  });

  test('token :below, :above, :in and :not-in over the code systems and value sets held here', async () => {
    const achievement = 'http://terminology.hl7.org/CodeSystem/goal-achievement';
    const goal = (id: string, code: string) =>
      put({
        resourceType: 'Goal', id, lifecycleStatus: 'active', subject: { reference: 'Patient/p1' }, description: { text: id },
        achievementStatus: { coding: [{ system: achievement, code }] },
      });
    await goal('g-improving', 'improving'); // in-progress > improving
    await goal('g-in-progress', 'in-progress');
    await goal('g-achieved', 'achieved');
    expect(ids(await search(`Goal?achievement-status:below=${achievement}|in-progress`))).toEqual(['g-improving', 'g-in-progress']);
    expect(ids(await search(`Goal?achievement-status:above=${achievement}|improving`))).toEqual(['g-improving', 'g-in-progress']);
    expect(ids(await search(`Goal?achievement-status:below=${achievement}|achieved`))).toEqual(['g-achieved']);
    expect(ids(await search('Goal?achievement-status:in=http://hl7.org/fhir/ValueSet/goal-achievement'))).toEqual(['g-achieved', 'g-improving', 'g-in-progress']);
    expect(ids(await search('Patient?gender:in=http://hl7.org/fhir/ValueSet/administrative-gender'))).toEqual(['p1', 'p2', 'p3']);
    expect(ids(await search('Patient?gender:not-in=http://hl7.org/fhir/ValueSet/administrative-gender'))).toEqual([]);
    // What cannot be answered exactly here is refused, with the reason.
    const refused = async (query: string, reason: RegExp) => {
      const res = await t.fhir(query);
      expect(res.status).toBe(400);
      expect(res.body.issue[0].diagnostics).toMatch(reason);
    };
    await refused('Observation?code:below=http://loinc.org|8867-4', /not held locally/);
    await refused('Goal?achievement-status:below=in-progress', /system and a code/);
    await refused('Goal?achievement-status:in=http://example.org/ValueSet/unknown', /not known/);
    await refused('Observation?code:in=http://hl7.org/fhir/ValueSet/observation-codes', /cannot be fully expanded/);
  });

  test('date prefixes over the implicit ranges of dates and periods', async () => {
    expect(ids(await search('Patient?birthdate=1980'))).toEqual(['p1']);
    expect(ids(await search('Patient?birthdate=1980-02'))).toEqual(['p1']);
    expect(ids(await search('Patient?birthdate=lt1980-01-01'))).toEqual(['p2']);
    expect(ids(await search('Patient?birthdate=ge1980-02-03'))).toEqual(['p1', 'p3']);
    expect(ids(await search('Patient?birthdate=gt2001-06-01'))).toEqual(['p3']); // 2001 ends after June
    expect(ids(await search('Patient?birthdate=eq2001-06-01'))).toEqual([]); // a year is not within a day
    expect(ids(await search('Patient?birthdate=ne1980-02-03'))).toEqual(['p2', 'p3']);
    expect(ids(await search('Observation?date=2023-01-15'))).toEqual([]); // the period is not within the day
    expect(ids(await search('Observation?date=2023-01'))).toEqual(['o2']);
    expect(ids(await search('Observation?date=sa2023-06-01'))).toEqual(['o1']);
    expect(ids(await search('Observation?date=eb2024-01-01'))).toEqual(['o2']);
    expect(ids(await search('Observation?date=ap2024-05-17'))).toEqual(['o1']);
    expect(ids(await search('Observation?date=ge2024-05-17T09:00:00Z&date=le2024-05-17T11:00:00Z'))).toEqual(['o1']);
  });

  test('quantity and number with prefixes and implicit precision', async () => {
    expect(ids(await search('Observation?value-quantity=72'))).toEqual(['o1']);
    expect(ids(await search('Observation?value-quantity=gt70|http://unitsofmeasure.org|/min'))).toEqual(['o1', 'o2']);
    expect(ids(await search('Observation?value-quantity=lt80||kg'))).toEqual(['o3']);
    expect(ids(await search('Observation?value-quantity=95.5'))).toEqual(['o2']);
    expect(ids(await search('Observation?value-quantity=97'))).toEqual([]); // 97 covers [96.5, 97.5]
    expect(ids(await search('RiskAssessment?probability=0.25'))).toEqual(['r1']);
    expect(ids(await search('RiskAssessment?probability=gt0.3'))).toEqual([]);
  });

  test('reference: id, Type/id, absolute URL, :Type, :identifier; :missing', async () => {
    expect(ids(await search('Observation?subject=Patient/p1'))).toEqual(['o1', 'o3']);
    expect(ids(await search('Observation?subject=p2'))).toEqual(['o2']);
    expect(ids(await search(`Observation?subject=${encodeURIComponent(`${t.base}/Patient/p2`)}`))).toEqual(['o2']);
    expect(ids(await search('Observation?subject:Patient=p1'))).toEqual(['o1', 'o3']);
    expect(ids(await search('Observation?patient=p1'))).toEqual(['o1', 'o3']);
    expect(ids(await search('Patient?general-practitioner:missing=true'))).toEqual(['p2', 'p3']);
    expect(ids(await search('Patient?general-practitioner:missing=false'))).toEqual(['p1']);
    expect(ids(await search('Patient?organization:missing=true'))).toEqual(['p3']);
    expect((await t.fhir('Observation?subject:Device.name=x')).status).toBe(400);
  });

  test('composite parameters match components within one element', async () => {
    await put({
      resourceType: 'Observation', id: 'bp', status: 'final', subject: { reference: 'Patient/p2' },
      code: { coding: [{ system: 'http://loinc.org', code: '85354-9' }] },
      component: [
        { code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] }, valueQuantity: { value: 142, system: 'http://unitsofmeasure.org', code: 'mm[Hg]' } },
        { code: { coding: [{ system: 'http://loinc.org', code: '8462-4' }] }, valueQuantity: { value: 91, system: 'http://unitsofmeasure.org', code: 'mm[Hg]' } },
      ],
    });
    expect(ids(await search('Observation?code-value-quantity=http://loinc.org|8867-4$gt90'))).toEqual(['o2']);
    expect(ids(await search('Observation?code-value-quantity=8867-4$lt80'))).toEqual(['o1']);
    expect(ids(await search('Observation?component-code-value-quantity=http://loinc.org|8480-6$gt140'))).toEqual(['bp']);
    // 91 belongs to the diastolic component, not the systolic one: no cross-component match
    expect(ids(await search('Observation?component-code-value-quantity=http://loinc.org|8480-6$lt100'))).toEqual([]);
    expect(ids(await search('Observation?combo-code-value-quantity=8462-4$91,8867-4$72'))).toEqual(['bp', 'o1']);
    expect((await t.fhir('Observation?code-value-quantity=8867-4')).status).toBe(400);
    await t.fhir('Observation/bp', { method: 'DELETE' });
  });

  test('chained parameters and _has', async () => {
    expect(ids(await search('Observation?subject:Patient.name=emilie'))).toEqual(['o1', 'o3']);
    expect(ids(await search('Observation?subject.gender=male'))).toEqual(['o2']);
    expect(ids(await search('Observation?subject:Patient.organization.name=clsc'))).toEqual(['o1', 'o2', 'o3']);
    expect(ids(await search('Patient?_has:Observation:subject:code=29463-7'))).toEqual(['p1']);
    expect(ids(await search('Patient?_has:Observation:patient:status=final'))).toEqual(['p1', 'p2']);
    expect((await t.fhir('Patient?_has:Observation:nonsense:code=1')).status).toBe(400);
  });

  test('_id, _lastUpdated, _tag, _profile, uri :below/:above', async () => {
    expect(ids(await search('Patient?_id=p1,p3'))).toEqual(['p1', 'p3']);
    expect(ids(await search(`Patient?_lastUpdated=ge${new Date(Date.now() - 3600000).toISOString().slice(0, 19)}Z`))).toEqual(['p1', 'p2', 'p3']);
    expect(ids(await search('Patient?_lastUpdated=lt2000-01-01'))).toEqual([]);
    await put({ resourceType: 'Questionnaire', id: 'q1', status: 'active', url: 'http://example.org/fhir/Questionnaire/a' });
    await put({
      resourceType: 'Patient', id: 'p4', meta: { profile: ['http://example.org/StructureDefinition/special'], tag: [{ system: 'urn:t', code: 'x' }] },
      name: [{ family: 'Zed' }],
    });
    expect(ids(await search('Patient?_profile=http://example.org/StructureDefinition/special'))).toEqual(['p4']);
    expect(ids(await search('Patient?_tag=urn:t|x'))).toEqual(['p4']);
    expect(ids(await search('Questionnaire?url:below=http://example.org/fhir'))).toEqual(['q1']);
    expect(ids(await search('Questionnaire?url:above=http://example.org/fhir/Questionnaire/a/extra'))).toEqual(['q1']);
    expect(ids(await search('Questionnaire?url=http://example.org/fhir'))).toEqual([]);
    // By whole path segments: …/a is neither below …/Questionnaire/ab's parent path nor above …/ab.
    await put({ resourceType: 'Questionnaire', id: 'q2', status: 'active', url: 'http://example.org/fhir/Questionnaire/ab' });
    expect(ids(await search('Questionnaire?url:below=http://example.org/fhir/Questionnaire/a'))).toEqual(['q1']);
    expect(ids(await search('Questionnaire?url:below=http://example.org/fhir/Questionnaire/'))).toEqual(['q1', 'q2']);
    expect(ids(await search('Questionnaire?url:above=http://example.org/fhir/Questionnaire/ab'))).toEqual(['q2']);
    expect(ids(await search('Questionnaire?url:above=http://example.org/fhir/Questionnaire/a'))).toEqual(['q1']);
    await t.fhir('Patient/p4', { method: 'DELETE' });
  });

  test('_include, _revinclude and :iterate', async () => {
    const inc = await search('Observation?_id=o1&_include=Observation:subject');
    expect(ids(inc)).toEqual(['o1']);
    expect(ids(inc, 'include')).toEqual(['p1']);
    const rev = await search('Patient?_id=p1&_revinclude=Observation:subject');
    expect(ids(rev, 'include')).toEqual(['o1', 'o3']);
    const iterate = await search('Observation?_id=o1&_include=Observation:subject&_include:iterate=Patient:general-practitioner');
    expect(ids(iterate, 'include')).toEqual(['dr-a', 'p1']);
    const notIterated = await search('Observation?_id=o1&_include=Observation:subject&_include=Patient:general-practitioner');
    expect(ids(notIterated, 'include')).toEqual(['p1']);
    expect((await t.fhir('Observation?_include=Observation:status')).status).toBe(400);
    // The wildcard alone: every reference of the matches, every resource referring to them.
    expect(ids(await search('Patient?_id=p1&_include=*'), 'include')).toEqual(['clsc', 'dr-a']);
    const referring: Entry[] = (await search('Patient?_id=p1&_revinclude=*')).entry.filter((e: Entry) => e.search.mode === 'include');
    expect(referring.map((e) => `${e.resource.resourceType}/${e.resource.id}`)).toEqual(expect.arrayContaining(['Observation/o1', 'Observation/o3', 'RiskAssessment/r1']));
    expect(referring.every((e) => JSON.stringify(e.resource).includes('Patient/p1'))).toBe(true);
  });

  test('_sort, _count and paging links that survive concurrent writes', async () => {
    const sorted = await search('Patient?_sort=-birthdate');
    expect(sorted.entry.map((e: Entry) => e.resource.id)).toEqual(['p3', 'p1', 'p2']);
    const byName = await search('Patient?_sort=family,_id');
    expect(byName.entry.map((e: Entry) => e.resource.id)).toEqual(['p3', 'p1', 'p2']);

    const page1 = await search('Patient?_sort=birthdate&_count=1&_total=accurate');
    expect(page1.total).toBe(3);
    expect((await search('Patient?_sort=birthdate&_count=1')).total).toBeUndefined(); // counting is not free here
    expect(page1.entry.map((e: Entry) => e.resource.id)).toEqual(['p2']);
    // A write between pages must not shift them (keyset paging, not offsets).
    await put({ resourceType: 'Patient', id: 'p0', birthDate: '1900-01-01', name: [{ family: 'Aîné' }] });
    const next = page1.link.find((l: { relation: string }) => l.relation === 'next').url;
    const page2 = await search(next);
    expect(page2.entry.map((e: Entry) => e.resource.id)).toEqual(['p1']);
    const page3 = await search(page2.link.find((l: { relation: string }) => l.relation === 'next').url);
    expect(page3.entry.map((e: Entry) => e.resource.id)).toEqual(['p3']);
    expect(page3.link.find((l: { relation: string }) => l.relation === 'next')).toBeUndefined();
    const back = await search(page3.link.find((l: { relation: string }) => l.relation === 'previous').url);
    expect(back.entry.map((e: Entry) => e.resource.id)).toEqual(['p1']);
    await t.fhir('Patient/p0', { method: 'DELETE' });
  });

  test('_summary, _elements and _total', async () => {
    const count = await search('Patient?_summary=count');
    expect(count.total).toBe(3);
    expect(count.entry).toBeUndefined();
    const summary = await search('Patient?_id=p1&_summary=true');
    const resource = summary.entry[0].resource;
    expect(resource.name).toBeDefined();
    expect(resource.telecom).toBeDefined();
    expect(resource.generalPractitioner).toBeUndefined(); // not a summary element
    expect(resource.meta.tag).toContainEqual(expect.objectContaining({ code: 'SUBSETTED' }));
    const elements = await search('Patient?_id=p1&_elements=birthDate');
    expect(Object.keys(elements.entry[0].resource).sort()).toEqual(['birthDate', 'id', 'meta', 'resourceType']);
    expect((await search('Patient?_total=none')).total).toBeUndefined();
    expect((await search('Patient')).total).toBe(3); // one page holds them all: the total is free
  });

  test('a match is sent as the very JSON a read of it sends, with or without _pretty, and HEAD gives its length', async () => {
    const headers = { authorization: `Bearer ${await t.token()}`, accept: 'application/fhir+json' };
    const text = async (path: string, method = 'GET') => {
      const res = await fetch(`${t.base}/${path}`, { method, headers });
      expect(res.status).toBe(200);
      return { body: await res.text(), length: res.headers.get('content-length') };
    };
    const read = (await text('Patient/p1')).body;
    const found = await text('Patient?_id=p1');
    expect(found.body).toContain(`"resource":${read}`);
    expect(JSON.parse(found.body).entry[0]).toEqual({ fullUrl: `${t.base}/Patient/p1`, resource: JSON.parse(read), search: { mode: 'match' } });
    expect((await text('Patient?_id=p1', 'HEAD')).length).toBe(String(Buffer.byteLength(found.body)));
    const pretty = (await text('Patient?_id=p1&_pretty=true')).body;
    expect(pretty).toContain('\n  "resourceType": "Bundle"');
    expect(JSON.parse(pretty).entry[0].resource).toEqual(JSON.parse(read));
  });

  test('POST _search with a form body and system-level search with _type', async () => {
    const res = await t.fhir('Patient/_search', { method: 'POST', body: 'gender=male', raw: true, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(200);
    expect(ids(res.body)).toEqual(['p2']);
    const system = await search('?_type=Patient,Organization&_id=p1,clsc');
    expect(ids(system)).toEqual(['clsc', 'p1']);
    const all = await search('_search?_id=o1');
    expect(ids(all)).toEqual(['o1']);
  });

  test('unknown parameters: ignored and reported, or 400 with handling=strict', async () => {
    const lenient = await search('Patient?gender=male&unknown-param=1');
    expect(ids(lenient)).toEqual(['p2']);
    expect(lenient.link[0].url).not.toContain('unknown-param');
    const outcomeEntry = lenient.entry.find((e: Entry) => e.search.mode === 'outcome');
    expect(outcomeEntry.resource.issue[0].diagnostics).toContain('unknown-param');
    const strict = await t.fhir('Patient?gender=male&unknown-param=1', { headers: { prefer: 'handling=strict' } });
    expect(strict.status).toBe(400);
  });

  test(':text reads CodeableConcept.text too, ||unit the stated unit, code-value-date dateTime values', async () => {
    await put({
      resourceType: 'Observation', id: 'smoke', status: 'final', subject: { reference: 'Patient/p3' },
      code: { coding: [{ system: 'http://loinc.org', code: '72166-2' }] },
      valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '8517006', display: 'Ex-smoker' }], text: 'Former smoker' },
    });
    await put({
      resourceType: 'Observation', id: 'bp', status: 'final', subject: { reference: 'Patient/p3' },
      code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] },
      valueQuantity: { value: 120, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
    });
    await put({
      resourceType: 'Observation', id: 'when', status: 'final', subject: { reference: 'Patient/p3' },
      code: { coding: [{ system: 'urn:test', code: 'dated' }] },
      valueDateTime: '2020-01-01',
    });
    expect(ids(await search('Observation?value-concept:text=former'))).toEqual(['smoke']);
    expect(ids(await search('Observation?value-concept:text=ex-smoker'))).toEqual(['smoke']);
    expect(ids(await search('Observation?value-quantity=120||mmHg'))).toEqual(['bp']);
    expect(ids(await search('Observation?value-quantity=120||mm[Hg]'))).toEqual(['bp']);
    expect(ids(await search('Observation?value-quantity=120|http://unitsofmeasure.org|mmHg'))).toEqual([]);
    expect(ids(await search('Observation?code-value-date=urn:test|dated$2020'))).toEqual(['when']);
  });

  test('long values are indexed by their first 200 characters; long lists and deep nesting have their limits', async () => {
    // Random text, which compresses little: PostgreSQL refuses B-tree entries over 2,704 bytes once compressed.
    const long = `Longue${randomBytes(6000).toString('base64')}`;
    const created = await t.fhir('Patient', { body: { resourceType: 'Patient', name: [{ family: long }], identifier: [{ system: 'urn:long', value: long }] } });
    expect(created.status).toBe(201);
    expect(ids(await search(`Patient?family=${encodeURIComponent(long.slice(0, 50))}`))).toEqual([created.body.id]);
    expect(ids(await search(`Patient?identifier=${encodeURIComponent(`urn:long|${long}`)}`))).toEqual([created.body.id]);
    // A reference by identifier, compared by the same first 200 characters.
    const byIdentifier = await t.fhir('Observation', {
      body: { resourceType: 'Observation', status: 'final', code: { text: 'long' }, subject: { identifier: { system: 'urn:long', value: long } } },
    });
    expect(ids(await search(`Observation?subject:identifier=${encodeURIComponent(`urn:long|${long}`)}`))).toEqual([byIdentifier.body.id]);
    // Hundreds of values in one parameter: one IN list, not a chain of ORs deeper than SQLite takes.
    const many = Array.from({ length: 500 }, (_, i) => `code-${i}`).join(',');
    expect((await t.fhir(`Observation?code=${many}`)).status).toBe(200);
    expect((await t.fhir(`Patient?family=${Array.from({ length: 500 }, (_, i) => `f${i}`).join(',')}`)).status).toBe(200);
    const nested = (depth: number) => `Organization?${'_has:Organization:partof:'.repeat(depth)}name=x`;
    expect((await t.fhir(nested(3))).status).toBe(200);
    expect((await t.fhir(nested(12))).status).toBe(400);
    expect((await t.fhir('Patient?family:exact:bogus=Tremblay')).status).toBe(400);
    expect((await t.fhir('Observation?subject:Patient:missing=true')).status).toBe(400);
  });

  test('Patient $everything with _type, _since and paging', async () => {
    const all = await search('Patient/p1/$everything');
    const types = all.entry.map((e: Entry) => `${e.resource.resourceType}/${e.resource.id}`).sort();
    expect(types).toEqual(expect.arrayContaining(['Patient/p1', 'Observation/o1', 'Observation/o3', 'RiskAssessment/r1', 'Practitioner/dr-a', 'Organization/clsc']));
    expect(types).not.toContain('Observation/o2');
    const onlyObs = await search('Patient/p1/$everything?_type=Observation');
    expect(ids(onlyObs)).toEqual(['o1', 'o3']);
    const paged = await search('Patient/p1/$everything?_count=2');
    expect(paged.entry.filter((e: Entry) => e.search.mode === 'match')).toHaveLength(2);
    const nextUrl = paged.link.find((l: { relation: string }) => l.relation === 'next').url;
    expect(nextUrl).toContain('$everything');
    const page2 = await search(nextUrl);
    expect(page2.entry.filter((e: Entry) => e.search.mode === 'match').length).toBeGreaterThan(0);
    expect((await t.fhir('Patient/nobody/$everything')).status).toBe(404);
  });

  test('$everything: each resource once, _type also over what is referenced, start and end, type level', async () => {
    // The same Practitioner referenced from two types of the compartment.
    await put({ resourceType: 'Encounter', id: 'e1', status: 'finished', class: { code: 'AMB' }, subject: { reference: 'Patient/p1' }, participant: [{ individual: { reference: 'Practitioner/dr-a' } }] });
    await put({ resourceType: 'Observation', id: 'o4', status: 'final', code: { text: 'mood' }, subject: { reference: 'Patient/p1' }, performer: [{ reference: 'Practitioner/dr-a' }], effectiveDateTime: '2019-06-01' });
    const fullUrls = (bundle: { entry: { fullUrl: string }[] }) => bundle.entry.map((e) => e.fullUrl);
    const all = await search('Patient/p1/$everything?_count=100');
    expect(fullUrls(all)).toEqual([...new Set(fullUrls(all))]);
    expect(ids(all, 'include')).toEqual(['clsc', 'dr-a']);

    const observations = await search('Patient/p1/$everything?_type=Observation');
    expect(ids(observations)).toEqual(['o1', 'o3', 'o4']);
    expect(ids(observations, 'include')).toEqual([]);
    expect(ids(await search('Patient/p1/$everything?_type=Observation,Practitioner'), 'include')).toEqual(['dr-a']);
    expect((await search('Patient/p1/$everything?_type=Practitioner')).total).toBe(0);
    expect(ids(await search('Patient/p1/$everything?_type=Observation&_type=Encounter'))).toEqual(['e1', 'o1', 'o3', 'o4']);
    // Invoked by POST, its parameters in a Parameters body.
    const posted = await t.fhir('Patient/p1/$everything', { body: { resourceType: 'Parameters', parameter: [{ name: '_type', valueString: 'Encounter' }] } });
    expect(ids(posted.body)).toEqual(['e1']);

    // Care dates: an Observation's date; the Patient has none to compare, and stays.
    expect(ids(await search('Patient/p1/$everything?_type=Observation,Patient&start=2024-01-01'))).toEqual(['o1', 'p1']);
    expect(ids(await search('Patient/p1/$everything?_type=Observation&start=2019-01-01&end=2019-12-31'))).toEqual(['o4']);
    expect((await t.fhir('Patient/p1/$everything?start=someday')).status).toBe(400);

    expect(ids(await search('Patient/$everything?_type=Patient&_count=100'))).toEqual(ids(await search('Patient?_count=100')));
    // Every Observation about a patient: not one whose subject is given by identifier only.
    const aboutPatients = ids(await search('Observation?patient:missing=false&_count=100'));
    expect(ids(await search('Patient/$everything?_type=Observation&_count=100'))).toEqual(aboutPatients);
    expect(aboutPatients).toEqual(expect.arrayContaining(['o1', 'o2', 'o3', 'o4']));
  });
});
