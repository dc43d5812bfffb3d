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
    expect((await t.fhir('StructureDefinition?publisher=HL7')).status).toBe(400);
  });

  test('writes are refused with 405 and the CapabilityStatement says read and search', async () => {
    const put = await t.fhir('StructureDefinition/Patient', { method: 'PUT', body: { resourceType: 'StructureDefinition', id: 'Patient' } });
    expect(put.status).toBe(405);
    expect(put.body.resourceType).toBe('OperationOutcome');
    expect((await t.fhir('ValueSet', { body: { resourceType: 'ValueSet' } })).status).toBe(405);
    expect((await t.fhir('CodeSystem/administrative-gender', { method: 'DELETE' })).status).toBe(405);
    const metadata = await t.fhir('metadata');
    const sd = metadata.body.rest[0].resource.find((r: { type: string }) => r.type === 'StructureDefinition');
    expect(sd.interaction.map((i: { code: string }) => i.code)).toEqual(['read', 'search-type']);
    expect(sd.searchParam.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['url', 'name', 'version', 'type']));
  });
});
