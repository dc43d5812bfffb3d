import { coreValidator, errors, text } from './helpers.js';

const patient = (extra: Record<string, unknown>): Record<string, unknown> => ({ resourceType: 'Patient', id: 'p1', text, ...extra });

describe('structure (FHIR R4 §2.6 JSON representation)', () => {
  it('accepts a well-formed resource', async () => {
    const v = await coreValidator();
    expect(errors(v.validate(patient({ name: [{ family: 'Tremblay', given: ['Marie'] }], birthDate: '1970-02-28' })))).toEqual([]);
  });

  it('rejects unknown elements with their location', async () => {
    const v = await coreValidator();
    expect(errors(v.validate(patient({ nickname: 'x' })))).toEqual(["Patient.nickname: Unrecognized property 'nickname'"]);
  });

  it('reads an object as its JSON: a property whose value is undefined is absent', async () => {
    const v = await coreValidator();
    // What the server validates after dropping server-managed meta: { ...resource, meta: undefined }.
    expect(errors(v.validate(patient({ meta: undefined, name: [{ family: 'Tremblay', given: undefined }] })))).toEqual([]);
    expect(errors(v.validate(patient({ name: [{ given: undefined }] })))).toEqual(['Patient.name[0]: Object must have some content']);
  });

  it('shapeOnly checks only that the JSON is well-formed FHIR: no cardinality, binding, invariant or profile', async () => {
    const v = await coreValidator();
    const shape = (resource: Record<string, unknown>) => errors(v.validate(resource, { shapeOnly: true }));
    // Well-formed, though base R4 requires status and code and the vital-signs profile a category.
    const heartRate = { resourceType: 'Observation', code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] } };
    expect(errors(v.validate(heartRate)).length).toBeGreaterThan(0);
    expect(shape(heartRate)).toEqual([]);
    expect(shape(patient({ gender: 'nope', extension: [{ url: 'http://example.org/unknown', valueString: 'x' }] }))).toEqual([]);
    expect(shape(patient({ birthDate: 5 }))).toEqual(['Patient.birthDate: Error parsing JSON: the primitive value must be a string']);
    expect(shape(patient({ birthDate: '1970-02-30' }))).toEqual(["Patient.birthDate: Not a valid date: '1970-02-30'"]);
    expect(shape(patient({ name: { family: 'Roy' } }))).toEqual(['Patient.name: This property must be an Array, not an Object or primitive']);
    expect(shape(patient({ nickname: 'x' }))).toEqual(["Patient.nickname: Unrecognized property 'nickname'"]);
    expect(shape(patient({ extension: [{ url: 'http://example.org/x', valueString: 5 }] }))).toEqual([
      'Patient.extension[0].valueString: Error parsing JSON: the primitive value must be a string',
    ]);
  });

  it('checks primitive formats and reports the FHIRPath location', async () => {
    const v = await coreValidator();
    const out = errors(v.validate(patient({ birthDate: '1970-02-30', name: [{ given: ['a', 'b', ''] }], active: 'yes' })));
    expect(out).toContain("Patient.birthDate: Not a valid date: '1970-02-30'");
    expect(out).toContain('Patient.name[0].given[2]: @value cannot be empty');
    expect(out.some((e) => e.startsWith('Patient.active:'))).toBe(true);
  });

  it('checks base64Binary in one pass: large attachments, and near misses that made the R4 regex backtrack', async () => {
    const v = await coreValidator();
    const binary = (data: string) => errors(v.validate({ resourceType: 'Binary', contentType: 'text/plain', data }, { shapeOnly: true }));
    expect(binary('QUFB\nQkJC QQ==')).toEqual([]);
    expect(binary('QUFB'.repeat(1_000_000))).toEqual([]); // 3 MB: the regex overflowed the stack
    expect(binary('QU FB')).toEqual(["Binary.data: The value 'QU FB' is not a valid Base64 value"]);
    // A near miss: 2^25 ways for the regex to try. The message quotes no more than 100 characters of the value.
    expect(binary(`AAAA${' AAAA'.repeat(24)}!`)).toEqual([`Binary.data: The value '${`AAAA${' AAAA'.repeat(24)}`.slice(0, 100)}…' is not a valid Base64 value`]);
  });

  it('checks codes and OIDs of megabytes without overflowing the stack, as R4\'s regexes say', async () => {
    const v = await coreValidator();
    const shape = (resource: Record<string, unknown>) => errors(v.validate(resource, { shapeOnly: true }));
    expect(shape(patient({ identifier: [{ system: `urn:oid:1${'.1'.repeat(2_000_000)}` }] }))).toEqual([]);
    expect(shape(patient({ identifier: [{ system: 'urn:oid:1.02' }] }))).toEqual(['Patient.identifier[0].system: OIDs must be valid (urn:oid:1.02)']);
    expect(shape(patient({ language: `a${' a'.repeat(3_000_000)}` }))).toEqual([]);
    expect(shape(patient({ language: 'fr  CA' })).join()).toContain('not a valid code');
  });

  it('checks choice types by their property name', async () => {
    const v = await coreValidator();
    const ok = { resourceType: 'Observation', text, status: 'final', code: { text: 'x' }, valueQuantity: { value: 1 } };
    expect(errors(v.validate(ok))).toEqual([]);
    expect(errors(v.validate({ ...ok, valueFoo: 1 }))).toEqual(["Observation.valueFoo: Unrecognized property 'valueFoo'"]);
    expect(errors(v.validate({ ...ok, valueString: 'a' })).join()).toContain('Only one of the types of value[x]');
  });

  it('pairs primitive extensions (_x) with their values, null placeholders included', async () => {
    const v = await coreValidator();
    const ext = { extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason', valueCode: 'unknown' }] };
    expect(errors(v.validate(patient({ name: [{ given: ['a', null], _given: [null, ext] }] })))).toEqual([]);
    expect(errors(v.validate(patient({ name: [{ given: ['a', null], _given: [null, null] }] }))).join()).toContain('null entry');
    expect(errors(v.validate(patient({ name: [{ given: ['a'], _given: [null, ext] }] }))).join()).toContain('same length');
  });

  it('rejects empty objects, empty arrays and wrong array shapes', async () => {
    const v = await coreValidator();
    expect(errors(v.validate(patient({ contact: [{}] })))).toEqual(['Patient.contact[0]: Object must have some content']);
    expect(errors(v.validate(patient({ name: [] }))).join()).toContain('Array cannot be empty');
    expect(errors(v.validate(patient({ name: { family: 'x' } }))).join()).toContain('must be an Array');
    expect(errors(v.validate(patient({ gender: ['male'] }))).join()).toContain('must be an Object, not an Array');
  });

  it('checks the resource type and the id', async () => {
    const v = await coreValidator();
    expect(errors(v.validate({ resourceType: 'Patientt' }))).toEqual(["Patientt: Unknown resource type 'Patientt'"]);
    expect(errors(v.validate({ id: 'x' })).join()).toContain('resourceType');
    expect(errors(v.validate(patient({ id: 'bad_id' })))).toEqual(["Patient.id: Invalid Resource id: Invalid Characters ('bad_id')"]);
  });

  it('canonical values are absolute or fragments; Coding.system names a code system, not a value set', async () => {
    const v = await coreValidator();
    const q = { resourceType: 'Questionnaire', text, status: 'active', derivedFrom: ['Questionnaire/1'] };
    expect(errors(v.validate(q)).join()).toContain('Canonical URLs must be absolute');
    const coded = patient({ maritalStatus: { coding: [{ system: 'http://hl7.org/fhir/ValueSet/marital-status', code: 'M' }] } });
    expect(errors(v.validate(coded)).join()).toContain('references a value set, not a code system');
  });

  it('never throws on bad input', async () => {
    const v = await coreValidator();
    for (const bad of [null, 42, 'not json', '[1]', [], undefined, '{"resourceType": "Patient", "id": ']) {
      const out = v.validate(bad);
      expect(out.resourceType).toBe('OperationOutcome');
      expect(out.issue.some((i) => i.severity === 'fatal' || i.severity === 'error')).toBe(true);
    }
  });

  it('rejects a property that appears twice in JSON text', async () => {
    const v = await coreValidator();
    const out = errors(v.validate('{"resourceType": "Patient", "gender": "male", "name": [{"family": "a", "family": "b"}], "gender": "female"}'));
    expect(out).toEqual([
      "Patient.name[0].family: The property 'family' appears more than once in the JSON",
      "Patient.gender: The property 'gender' appears more than once in the JSON",
    ]);
  });

  it('parses JSON text itself', async () => {
    const v = await coreValidator();
    expect(errors(v.validate(JSON.stringify(patient({ gender: 'female' }))))).toEqual([]);
  });
});
