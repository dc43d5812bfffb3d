import { startTestServer, type TestServer } from '../helpers/test-server.js';

/** The definitions the server runs on are served read-only (R4 http.html, conformance resources). */
describe('conformance resources', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer('sqlite');
  });
  afterAll(async () => t.stop());

  test('read the core definitions by id, search them by url, name and version', async () => {
    const patient = await t.fhir('StructureDefinition/Patient');
    expect(patient.status).toBe(200);
    expect(patient.body.url).toBe('http://hl7.org/fhir/StructureDefinition/Patient');
    expect(patient.body.snapshot.element.length).toBeGreaterThan(10);

    const byUrl = await t.fhir('ValueSet?url=http://hl7.org/fhir/ValueSet/administrative-gender');
    expect(byUrl.body.total).toBe(1);
    expect(byUrl.body.entry[0].resource.id).toBe('administrative-gender');
    const versioned = await t.fhir('ValueSet?url=http://hl7.org/fhir/ValueSet/administrative-gender|4.0.1');
    expect(versioned.body.total).toBe(1);
    expect((await t.fhir('ValueSet?url=http://hl7.org/fhir/ValueSet/administrative-gender|9.9')).body.total).toBe(0);

    const byName = await t.fhir('CodeSystem?name=administrativegen');
    expect(byName.body.entry.map((e: { resource: { url: string } }) => e.resource.url)).toContain('http://hl7.org/fhir/administrative-gender');
    const sp = await t.fhir('SearchParameter?url=http://hl7.org/fhir/SearchParameter/individual-birthdate');
    expect(sp.body.entry[0].resource.code).toBe('birthdate');
    const types = await t.fhir('StructureDefinition?type=Observation&_count=100&_elements=url');
    expect(types.body.entry.map((e: { resource: { url: string } }) => e.resource.url)).toEqual(
      expect.arrayContaining(['http://hl7.org/fhir/StructureDefinition/Observation', 'http://hl7.org/fhir/StructureDefinition/vitalsigns']),
    );
  });

  test('paging through a large set, and clear errors', async () => {
    const first = await t.fhir('StructureDefinition?_count=50');
    expect(first.body.total).toBeGreaterThan(500);
    const next = await t.fhir(first.body.link.find((l: { relation: string }) => l.relation === 'next').url);
    const firstIds = first.body.entry.map((e: { resource: { id: string } }) => e.resource.id);
    const nextIds = next.body.entry.map((e: { resource: { id: string } }) => e.resource.id);
    expect(nextIds.filter((id: string) => firstIds.includes(id))).toEqual([]);
    expect((await t.fhir('StructureDefinition/NotAThing')).status).toBe(404);
    // Unknown parameters are ignored and reported, as on every search; refused when the client asks for strictness.
    const lenient = await t.fhir('StructureDefinition?publisher=HL7&_count=1');
    expect(lenient.status).toBe(200);
    expect(lenient.body.entry.find((e: { search: { mode: string } }) => e.search.mode === 'outcome').resource.issue[0].diagnostics).toContain('publisher');
    expect((await t.fhir('StructureDefinition?publisher=HL7', { headers: { prefer: 'handling=strict' } })).status).toBe(400);
    expect((await t.fhir('ValueSet?_summary=foo')).status).toBe(400);
    // A page of none gives the total and no next link to follow for ever.
    const none = await t.fhir('ValueSet?_count=0');
    expect(none.body.total).toBeGreaterThan(100);
    expect(none.body.link.map((l: { relation: string }) => l.relation)).toEqual(['self']);
  });

  test('tokens with their code system, _sort, and $validate of a definition', async () => {
    const active = (await t.fhir('ValueSet?status=active&_summary=count')).body.total;
    expect(active).toBeGreaterThan(0);
    expect((await t.fhir('ValueSet?status=http://hl7.org/fhir/publication-status|active&_summary=count')).body.total).toBe(active);
    expect((await t.fhir('ValueSet?status=http://example.org|active&_summary=count')).body.total).toBe(0);
    const sorted = await t.fhir('CodeSystem?name=a&_sort=-name&_count=5&_elements=name');
    const names = sorted.body.entry.map((e: { resource: { name: string } }) => e.resource.name);
    expect(names).toEqual([...names].sort((a: string, b: string) => b.localeCompare(a)));
    const profile = (await t.fhir('StructureDefinition/Patient')).body;
    const checked = await t.fhir('StructureDefinition/$validate', { body: { ...profile, status: 'not-a-status' } });
    expect(checked.status).toBe(200);
    expect(checked.body.issue.some((i: { severity: string; expression?: string[] }) => i.severity === 'error' && i.expression?.[0]?.includes('status'))).toBe(true);
    expect((await t.fhir('StructureDefinition/_history')).status).toBe(405);
    expect((await t.fhir('?_type=ValueSet,Patient')).status).toBe(400);
  });

  test('writes are refused with 405 and the CapabilityStatement says read, search and $validate', async () => {
    const put = await t.fhir('StructureDefinition/Patient', { method: 'PUT', body: { resourceType: 'StructureDefinition', id: 'Patient' } });
    expect(put.status).toBe(405);
    expect(put.body.resourceType).toBe('OperationOutcome');
    expect((await t.fhir('ValueSet', { body: { resourceType: 'ValueSet' } })).status).toBe(405);
    expect((await t.fhir('CodeSystem/administrative-gender', { method: 'DELETE' })).status).toBe(405);
    const metadata = await t.fhir('metadata');
    const sd = metadata.body.rest[0].resource.find((r: { type: string }) => r.type === 'StructureDefinition');
    expect(sd.interaction.map((i: { code: string }) => i.code)).toEqual(['read', 'search-type']);
    expect(sd.searchParam.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['url', 'name', 'version', 'type']));
    expect(sd.operation.map((o: { name: string }) => o.name)).toEqual(['validate']);
  });
});
