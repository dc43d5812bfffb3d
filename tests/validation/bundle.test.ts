import { coreValidator, errors, text } from './helpers.js';

const patient = { resourceType: 'Patient', id: 'p1', text, gender: 'female' };
const goal = (subject: string): Record<string, unknown> => ({ resourceType: 'Goal', id: 'g1', text, lifecycleStatus: 'active', description: { text: 'x' }, subject: { reference: subject } });

describe('Bundle rules (FHIR R4 §2.36)', () => {
  it('validates entry resources with their location', async () => {
    const v = await coreValidator();
    const b = { resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: 'http://example.org/fhir/Patient/p1', resource: { ...patient, gender: 'f' } }] };
    expect(errors(v.validate(b)).join()).toContain('Bundle.entry[0].resource.gender');
  });

  it('fullUrl agrees with the resource id and is absolute', async () => {
    const v = await coreValidator();
    const ok = { resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: 'http://example.org/fhir/Patient/p1', resource: patient }] };
    expect(errors(v.validate(ok))).toEqual([]);
    const mismatch = { ...ok, entry: [{ fullUrl: 'http://example.org/fhir/Patient/p2', resource: patient }] };
    expect(errors(v.validate(mismatch)).join()).toContain('does not match the fullUrl');
    const relative = { ...ok, entry: [{ fullUrl: 'Patient/p1', resource: patient }] };
    expect(errors(v.validate(relative)).join()).toContain('must be an absolute URL');
  });

  it('references inside a transaction resolve within the bundle', async () => {
    const v = await coreValidator();
    const tx = (ref: string): Record<string, unknown> => ({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { fullUrl: 'urn:uuid:6f1b2f7e-1b7e-4c3f-9a51-0c8b7d0f2a11', resource: { ...patient, id: undefined }, request: { method: 'POST', url: 'Patient' } },
        { fullUrl: 'urn:uuid:0b4c1d2e-3f40-4a5b-8c6d-7e8f9a0b1c2d', resource: { ...goal(ref), id: undefined }, request: { method: 'POST', url: 'Goal' } },
      ],
    });
    expect(errors(v.validate(tx('urn:uuid:6f1b2f7e-1b7e-4c3f-9a51-0c8b7d0f2a11')))).toEqual([]);
    expect(errors(v.validate(tx('urn:uuid:00000000-0000-4000-8000-000000000000'))).join()).toContain("Can't find");
  });

  it('entries need a fullUrl outside transactions and batches; references with several matches are ambiguous', async () => {
    const v = await coreValidator();
    expect(errors(v.validate({ resourceType: 'Bundle', type: 'collection', entry: [{ resource: patient }] })).join()).toContain('must have a fullUrl');
    const twice = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { fullUrl: 'http://a.example/fhir/Patient/p1', resource: patient },
        { fullUrl: 'http://b.example/fhir/Patient/p1', resource: patient },
        { fullUrl: 'urn:uuid:0b4c1d2e-3f40-4a5b-8c6d-7e8f9a0b1c2d', resource: { ...goal('Patient/p1'), id: undefined } },
      ],
    };
    expect(errors(v.validate(twice)).join()).toContain("Found 2 matches for 'Patient/p1' in the bundle");
  });

  it('every entry of a document is reachable from its Composition', async () => {
    const v = await coreValidator();
    const composition = {
      resourceType: 'Composition',
      id: 'c1',
      text,
      status: 'final',
      type: { text: "Plan d'accompagnement" },
      subject: { reference: 'Patient/p1' },
      date: '2024-03-01',
      author: [{ display: 'Équipe' }],
      title: 'Plan',
    };
    const doc = (extra: Record<string, unknown>[]): Record<string, unknown> => ({
      resourceType: 'Bundle',
      identifier: { system: 'urn:ietf:rfc:3986', value: 'urn:uuid:1b4c1d2e-3f40-4a5b-8c6d-7e8f9a0b1c2d' },
      type: 'document',
      timestamp: '2024-03-01T10:00:00Z',
      entry: [
        { fullUrl: 'http://example.org/fhir/Composition/c1', resource: composition },
        { fullUrl: 'http://example.org/fhir/Patient/p1', resource: patient },
        ...extra,
      ],
    });
    expect(errors(v.validate(doc([])))).toEqual([]);
    const orphan = doc([{ fullUrl: 'http://example.org/fhir/Goal/g1', resource: goal('Patient/other') }]);
    expect(errors(v.validate(orphan)).join()).toContain("isn't reachable by traversing links");
  });

  it('relative references have the form Type/id', async () => {
    const v = await coreValidator();
    expect(errors(v.validate(goal('patients/1'))).join()).toContain('Relative URLs must be of the format [ResourceName]/[id]');
  });

  it('the link relations are unique', async () => {
    const v = await coreValidator();
    const b = { resourceType: 'Bundle', type: 'searchset', link: [{ relation: 'self', url: 'http://a' }, { relation: 'self', url: 'http://b' }] };
    expect(errors(v.validate(b)).join()).toContain("'self' can only occur once");
  });
});

describe('contained resources (FHIR R4 §2.4.1)', () => {
  it('are validated and resolve #id references', async () => {
    const v = await coreValidator();
    const g = { ...goal('#p'), contained: [{ resourceType: 'Patient', id: 'p', gender: 'female' }] };
    expect(errors(v.validate(g))).toEqual([]);
    const bad = { ...goal('#p'), contained: [{ resourceType: 'Patient', id: 'p', gender: 'nope' }] };
    expect(errors(v.validate(bad)).join()).toContain('Goal.contained[0].gender');
    expect(errors(v.validate({ ...goal('#q'), contained: [{ resourceType: 'Patient', id: 'p' }] })).join()).toContain("Unable to resolve the contained reference '#q'");
    const twice = { ...goal('#p'), contained: [{ resourceType: 'Patient', id: 'p' }, { resourceType: 'Patient', id: 'p' }] };
    expect(errors(v.validate(twice)).join()).toContain("Duplicate id value 'p'");
  });
});
