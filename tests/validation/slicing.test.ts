import { createValidator } from '../../src/validation/index.js';
import { errors, profile, text } from './helpers.js';

const BASE = 'http://example.org/fhir/StructureDefinition/';
const LOINC = 'http://loinc.org';

// Blood-pressure-like slicing of Observation.component by the pattern on code (FHIR R4 §2.11.0.10 discriminators).
const bp = profile(BASE + 'bp', 'Observation', [
  { id: 'Observation.component', path: 'Observation.component', slicing: { discriminator: [{ type: 'pattern', path: 'code' }], ordered: true, rules: 'closed' }, min: 2 },
  { id: 'Observation.component:systolic', path: 'Observation.component', sliceName: 'systolic', min: 1, max: '1' },
  { id: 'Observation.component:systolic.code', path: 'Observation.component.code', patternCodeableConcept: { coding: [{ system: LOINC, code: '8480-6' }] } },
  { id: 'Observation.component:systolic.value[x]', path: 'Observation.component.value[x]', type: [{ code: 'Quantity' }] },
  { id: 'Observation.component:diastolic', path: 'Observation.component', sliceName: 'diastolic', min: 1, max: '1' },
  { id: 'Observation.component:diastolic.code', path: 'Observation.component.code', patternCodeableConcept: { coding: [{ system: LOINC, code: '8462-4' }] } },
]);

// Slicing by type and by existence.
const typed = profile(BASE + 'typed', 'Observation', [
  { id: 'Observation.value[x]', path: 'Observation.value[x]', slicing: { discriminator: [{ type: 'type', path: '$this' }], rules: 'closed' } },
  { id: 'Observation.value[x]:valueQuantity', path: 'Observation.value[x]', sliceName: 'valueQuantity', type: [{ code: 'Quantity' }] },
  { id: 'Observation.identifier', path: 'Observation.identifier', slicing: { discriminator: [{ type: 'exists', path: 'system' }], rules: 'open' } },
  { id: 'Observation.identifier:withSystem', path: 'Observation.identifier', sliceName: 'withSystem', min: 1 },
  { id: 'Observation.identifier:withSystem.system', path: 'Observation.identifier.system', min: 1 },
]);

const comp = (code: string, value: number): Record<string, unknown> => ({ code: { coding: [{ system: LOINC, code }] }, valueQuantity: { value, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' } });
const obs = (extra: Record<string, unknown>): Record<string, unknown> => ({ resourceType: 'Observation', text, status: 'final', code: { coding: [{ system: LOINC, code: '55284-4' }] }, ...extra });

describe('slicing', () => {
  const ready = createValidator({ resources: [bp, typed] });

  it('assigns items to slices by pattern and accepts a conforming instance', async () => {
    expect(errors((await ready).validate(obs({ component: [comp('8480-6', 120), comp('8462-4', 80)] }), { profiles: [BASE + 'bp'] }))).toEqual([]);
  });

  it('reports a missing required slice', async () => {
    const out = errors((await ready).validate(obs({ component: [comp('8480-6', 120), comp('8480-6', 121)] }), { profiles: [BASE + 'bp'] }));
    expect(out.join('\n')).toContain("Slice 'Observation.component:diastolic': a matching slice is required, but not found");
    expect(out.join('\n')).toContain('Observation.component:systolic: max allowed = 1, but found 2');
  });

  it('rejects items matching no slice when slicing is closed', async () => {
    const out = errors((await ready).validate(obs({ component: [comp('8480-6', 120), comp('8462-4', 80), comp('1234-5', 1)] }), { profiles: [BASE + 'bp'] }));
    expect(out).toEqual([`Observation.component[2]: This element does not match any known slice defined in the profile ${BASE}bp and slicing is CLOSED`]);
  });

  it('enforces the order of ordered slices', async () => {
    const out = errors((await ready).validate(obs({ component: [comp('8462-4', 80), comp('8480-6', 120)] }), { profiles: [BASE + 'bp'] }));
    expect(out.join()).toContain('out of order');
  });

  it('validates an item against its slice definition', async () => {
    const c = { code: { coding: [{ system: LOINC, code: '8480-6' }] }, valueString: '120' };
    const out = errors((await ready).validate(obs({ component: [c, comp('8462-4', 80)] }), { profiles: [BASE + 'bp'] }));
    expect(out).toEqual(["Observation.component[0].valueString: Unrecognized property 'valueString'"]);
  });

  it('slices by type and by existence', async () => {
    const v = await ready;
    const id = { identifier: [{ system: 'http://example.org/ids', value: '1' }] };
    expect(errors(v.validate(obs({ ...id, valueQuantity: { value: 1 } }), { profiles: [BASE + 'typed'] }))).toEqual([]);
    expect(errors(v.validate(obs({ ...id, valueString: 'x' }), { profiles: [BASE + 'typed'] })).join()).toContain('valueString');
    expect(errors(v.validate(obs({ identifier: [{ value: '1' }], valueQuantity: { value: 1 } }), { profiles: [BASE + 'typed'] })).join()).toContain('withSystem');
  });
});
