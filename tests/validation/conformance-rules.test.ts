import { coreValidator, errors, text } from './helpers.js';

describe('conformance resources agree with the definitions they use', () => {
  it('a SearchParameter keeps the type of the one it derives from', async () => {
    const v = await coreValidator();
    const sp = {
      resourceType: 'SearchParameter',
      text,
      url: 'http://example.org/fhir/SearchParameter/peer-name',
      name: 'PeerName',
      status: 'active',
      description: 'x',
      code: 'peer-name',
      base: ['RelatedPerson'],
      type: 'string',
      expression: 'RelatedPerson.name',
      derivedFrom: 'http://hl7.org/fhir/SearchParameter/RelatedPerson-name',
    };
    expect(errors(v.validate(sp))).toEqual([]);
    expect(errors(v.validate({ ...sp, type: 'token' })).join()).toContain('is different to the type string in the derivedFrom');
  });

  it('a CapabilityStatement search parameter has the type of its definition', async () => {
    const v = await coreValidator();
    const cs = (type: string): Record<string, unknown> => ({
      resourceType: 'CapabilityStatement',
      text,
      status: 'active',
      date: '2024-01-01',
      kind: 'instance',
      fhirVersion: '4.0.1',
      format: ['json'],
      implementation: { description: 'x' },
      rest: [{ mode: 'server', resource: [{ type: 'CarePlan', searchParam: [{ name: 'subject', definition: 'http://hl7.org/fhir/SearchParameter/CarePlan-subject', type }] }] }],
    });
    expect(errors(v.validate(cs('reference')))).toEqual([]);
    expect(errors(v.validate(cs('token'))).join()).toContain('Type mismatch');
  });

  it("uses R4's corrected que-12 (more than one enableWhen needs enableBehavior)", async () => {
    const v = await coreValidator();
    const when = { question: 'a', operator: 'exists', answerBoolean: true };
    const q = { resourceType: 'Questionnaire', text, status: 'active', item: [{ linkId: 'a', type: 'boolean' }, { linkId: 'b', type: 'string', enableWhen: [when, when] }] };
    expect(errors(v.validate(q)).join()).toContain('que-12');
  });
});
