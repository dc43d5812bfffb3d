import type { Bundle, Patient, Resource } from 'fhir/r4.js';
import { storedEntry } from '../../src/fhir/stored-entry.js';
import { toJson } from '../../src/http/fhir-json.js';
import { StoredResource } from '../../src/storage/stored-resource.js';

/** A Patient as SQLite holds it: the text JSON.stringify wrote. */
const storedText = '{"resourceType":"Patient","id":"p1","meta":{"versionId":"2","lastUpdated":"2026-11-22T10:00:00.000Z"},"name":[{"family":"Côté"}]}';
const stored = (text = storedText) => {
  const parsed = JSON.parse(text) as Resource;
  return new StoredResource(parsed.resourceType, parsed.id!, text);
};
const searchset = (...resources: StoredResource[]): Bundle => ({
  resourceType: 'Bundle',
  type: 'searchset',
  total: resources.length,
  link: [{ relation: 'self', url: 'http://x/fhir/Patient?name=c%C3%B4t%C3%A9' }],
  entry: resources.map((r) => storedEntry(`http://x/fhir/Patient/${r.id}`, r, { mode: 'match' })),
});

describe('response JSON with stored resources', () => {
  test('a searchset carries the stored text of its matches, and means what serializing them parsed would', () => {
    const body = toJson(searchset(stored(), stored(storedText.replace('p1', 'p2'))), false);
    expect(body).toContain(`"resource":${storedText}`);
    expect(JSON.parse(body)).toEqual(JSON.parse(JSON.stringify(searchset(stored(), stored(storedText.replace('p1', 'p2'))))));
    expect(JSON.parse(body).entry[1]).toEqual({ fullUrl: 'http://x/fhir/Patient/p2', resource: JSON.parse(storedText.replace('p1', 'p2')), search: { mode: 'match' } });
  });

  test('a stored entry read in the process is the parsed resource, and a change made to it is what is sent', () => {
    const bundle = searchset(stored());
    const patient = bundle.entry![0].resource as Patient;
    expect(patient.name).toEqual([{ family: 'Côté' }]);
    patient.name = [{ family: 'Changed' }];
    const body = toJson(bundle, false);
    expect(body).not.toContain(storedText);
    expect(JSON.parse(body).entry[0].resource.name).toEqual([{ family: 'Changed' }]);
  });

  test('entries of every kind keep their members: stored, parsed, an outcome', () => {
    const outcome = { resourceType: 'OperationOutcome', issue: [{ severity: 'warning', code: 'not-supported', diagnostics: 'Parameters ignored: x' }] };
    const bundle = searchset(stored());
    bundle.entry!.push({ fullUrl: 'http://x/fhir/Practitioner/d', resource: { resourceType: 'Practitioner', id: 'd' }, search: { mode: 'include' } });
    bundle.entry!.push({ resource: outcome as Resource, search: { mode: 'outcome' } });
    const body = toJson(bundle, false);
    expect(body).toContain(storedText);
    expect(JSON.parse(body)).toEqual(JSON.parse(JSON.stringify(bundle)));
    expect(JSON.parse(body).entry.map((e: { search: { mode: string } }) => e.search.mode)).toEqual(['match', 'include', 'outcome']);
  });

  test('a resource the store returned parsed (PostgreSQL) and pretty printing serialize the resource itself', () => {
    const fromJsonb = new StoredResource('Patient', 'p1', JSON.parse(storedText));
    expect(fromJsonb.json).toBeUndefined();
    expect(JSON.parse(toJson(searchset(fromJsonb), false)).entry[0].resource).toEqual(JSON.parse(storedText));
    const pretty = toJson(searchset(stored()), true);
    expect(pretty).toContain('\n  "resourceType": "Bundle"');
    expect(JSON.parse(pretty).entry[0].resource).toEqual(JSON.parse(storedText));
  });

  test('a stored resource is parsed once, when first asked for, and then no longer offers its text', () => {
    const resource = stored();
    expect(resource.json).toBe(storedText);
    expect(resource.resource).toBe(resource.resource);
    expect(resource.resource).toEqual(JSON.parse(storedText));
    expect(resource.json).toBeUndefined();
  });

  test('anything but a Bundle with unread stored entries is JSON.stringify output', () => {
    const patient = JSON.parse(storedText) as Resource;
    expect(toJson(patient, false)).toBe(JSON.stringify(patient));
    const plain: Bundle = { resourceType: 'Bundle', type: 'searchset', entry: [{ resource: patient }] };
    expect(toJson(plain, false)).toBe(JSON.stringify(plain));
  });
});
