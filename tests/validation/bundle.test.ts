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
  });
});
