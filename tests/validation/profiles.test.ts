import { createValidator } from '../../src/validation/index.js';
import { errors, profile, text, warnings } from './helpers.js';

const BASE = 'http://example.org/fhir/StructureDefinition/';

const peerPatient = profile(BASE + 'peer-patient', 'Patient', [
  { id: 'Patient.name', path: 'Patient.name', min: 1 },
  { id: 'Patient.identifier', path: 'Patient.identifier', max: '1' },
  { id: 'Patient.gender', path: 'Patient.gender', fixedCode: 'female' },
  { id: 'Patient.maritalStatus', path: 'Patient.maritalStatus', patternCodeableConcept: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus', code: 'M' }] } },
  { id: 'Patient.generalPractitioner', path: 'Patient.generalPractitioner', type: [{ code: 'Reference', targetProfile: ['http://hl7.org/fhir/StructureDefinition/Practitioner'] }] },
]);

const good = {
  resourceType: 'Patient',
  text,
  name: [{ family: 'Tremblay' }],
  gender: 'female',
  maritalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus', code: 'M', display: 'Married' }], text: 'mariée' },
  generalPractitioner: [{ reference: 'Practitioner/1' }],
};

const weighed = profile(BASE + 'weighed', 'Observation', [
  { path: 'Observation.value[x]', type: [{ code: 'Quantity' }] },
  { path: 'Observation.valueQuantity', minValueQuantity: { value: 1, system: 'http://unitsofmeasure.org', code: 'kg' } },
]);

const namedPractitioner = profile(BASE + 'named-practitioner', 'Practitioner', [{ id: 'Practitioner.name', path: 'Practitioner.name', min: 1 }]);
const cared = profile(BASE + 'cared-patient', 'Patient', [
  { id: 'Patient.generalPractitioner', path: 'Patient.generalPractitioner', type: [{ code: 'Reference', targetProfile: [BASE + 'named-practitioner'] }] },
]);

describe('target profiles of references whose target is at hand', () => {
  const ready = createValidator({ resources: [namedPractitioner, cared] });
  const patient = (practitioner: Record<string, unknown>): Record<string, unknown> => ({
    resourceType: 'Patient',
    text,
    contained: [{ resourceType: 'Practitioner', id: 'pr', ...practitioner }],
    generalPractitioner: [{ reference: '#pr' }],
  });

  it('checks a contained target against the target profile', async () => {
    const v = await ready;
    expect(errors(v.validate(patient({ name: [{ family: 'Gagnon' }] }), { profiles: [BASE + 'cared-patient'] }))).toEqual([]);
    expect(errors(v.validate(patient({ active: true }), { profiles: [BASE + 'cared-patient'] })).join()).toContain('does not conform to the target profile');
  });
});

describe('choice renamed to one type, with a UCUM minValue (§2.11.0.8)', () => {
  const ready = createValidator({ resources: [weighed] });
  const obs = (value: number, code: string): Record<string, unknown> => ({ resourceType: 'Observation', text, status: 'final', code: { text: 'poids' }, valueQuantity: { value, system: 'http://unitsofmeasure.org', code } });

  it('compares after unit conversion', async () => {
    const v = await ready;
    expect(errors(v.validate(obs(1500, 'g'), { profiles: [BASE + 'weighed'] }))).toEqual([]);
    expect(errors(v.validate(obs(500, 'g'), { profiles: [BASE + 'weighed'] })).join()).toContain('less than the specified minValue');
    expect(errors(v.validate({ ...obs(1, 'kg'), valueQuantity: undefined, valueString: 'x' }, { profiles: [BASE + 'weighed'] })).join()).toContain('valueString');
  });
});

describe('profiles: cardinality, fixed, pattern, reference targets (FHIR R4 §2.11 Profiling)', () => {
  const ready = createValidator({ resources: [peerPatient] });

  it('accepts a conforming resource', async () => {
    expect(errors((await ready).validate(good, { profiles: [BASE + 'peer-patient'] }))).toEqual([]);
  });

  it('enforces min and max', async () => {
    const v = await ready;
    const out = errors(v.validate({ ...good, name: undefined, identifier: [{ value: 'a' }, { value: 'b' }] }, { profiles: [BASE + 'peer-patient'] }));
    expect(out).toContain(`Patient.name: Patient.name: minimum required = 1, but only found 0 (from ${BASE}peer-patient)`);
    expect(out).toContain(`Patient.identifier: Patient.identifier: max allowed = 1, but found 2 (from ${BASE}peer-patient)`);
  });

  it('enforces fixed[x] exactly and pattern[x] as a subset', async () => {
    const v = await ready;
    expect(errors(v.validate({ ...good, gender: 'male' }, { profiles: [BASE + 'peer-patient'] })).join()).toContain('fixed value');
    const wrong = { ...good, maritalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus', code: 'S' }] } };
    expect(errors(v.validate(wrong, { profiles: [BASE + 'peer-patient'] })).join()).toContain('does not match the required pattern');
  });

  it('checks the target type of references', async () => {
    const v = await ready;
    const out = errors(v.validate({ ...good, generalPractitioner: [{ reference: 'Organization/1' }] }, { profiles: [BASE + 'peer-patient'] }));
    expect(out).toEqual(["Patient.generalPractitioner[0]: The type 'Organization' implied by the reference URL Organization/1 is not a valid Target for this element (must be one of [Practitioner])"]);
  });

  it('applies profiles named in meta.profile and warns about unknown ones', async () => {
    const v = await ready;
    expect(errors(v.validate({ ...good, name: undefined, meta: { profile: [BASE + 'peer-patient'] } })).length).toBe(1);
    const out = v.validate({ ...good, meta: { profile: [BASE + 'nowhere'] } });
    expect(errors(out)).toEqual([]);
    expect(warnings(out).join()).toContain('has not been checked because it is unknown');
  });

  it('reports an unknown requested profile as an error', async () => {
    expect(errors((await ready).validate(good, { profiles: [BASE + 'nowhere'] })).join()).toContain('Unable to resolve the profile');
  });
});
