import type { Resource } from 'fhir/r4.js';
import { coreSearchParameters, resourceTypes } from '../../src/fhir/r4-definitions.js';
import { createIndexer } from '../../src/fhir/search/extract-index.js';
import { SearchParameterRegistry } from '../../src/fhir/search/search-parameter-registry.js';

const registry = new SearchParameterRegistry(coreSearchParameters(), resourceTypes());
const indexer = createIndexer(registry, 'http://localhost/fhir');
const extract = (resource: { resourceType: string; [key: string]: unknown }) => indexer(resource as Resource);

describe('search index extraction at write time', () => {
  test('strings are normalized for case and accents; HumanName parts are indexed separately', () => {
    const index = extract({ resourceType: 'Patient', name: [{ family: 'Côté', given: ['Émilie', 'Anne'] }] });
    const names = index.strings.filter((s) => s.param === 'name').map((s) => s.norm).sort();
    expect(names).toEqual(['anne', 'cote', 'emilie']);
    expect(index.strings.find((s) => s.param === 'family')?.exact).toBe('Côté');
  });

  test('tokens from CodeableConcept, Identifier, code and boolean', () => {
    const index = extract({
      resourceType: 'Patient',
      active: true,
      gender: 'female',
      identifier: [{ system: 'urn:ramq', value: 'X1' }],
      maritalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus', code: 'M', display: 'Married' }] },
    });
    expect(index.tokens).toEqual(
      expect.arrayContaining([
        { param: 'active', system: null, code: 'true', text: null },
        { param: 'gender', system: null, code: 'female', text: null },
        { param: 'identifier', system: 'urn:ramq', code: 'X1', text: null },
      ]),
    );
  });

  test('an expression computing a boolean indexes it: Patient.deceased is true when set to true or to a date', () => {
    const deceased = (more: Record<string, unknown>) =>
      extract({ resourceType: 'Patient', ...more }).tokens.filter((t) => t.param === 'deceased').map((t) => t.code);
    expect(deceased({})).toEqual(['false']);
    expect(deceased({ deceasedBoolean: false })).toEqual(['false']);
    expect(deceased({ deceasedBoolean: true })).toEqual(['true']);
    expect(deceased({ deceasedDateTime: '2024-05-01' })).toEqual(['true']);
  });

  test('references: local, own absolute URL, foreign URL, filtered by resolve() is X', () => {
    const index = extract({
      resourceType: 'Observation',
      status: 'final',
      code: { text: 'x' },
      subject: { reference: 'http://localhost/fhir/Patient/p1' },
      performer: [{ reference: 'http://other.org/Practitioner/9' }],
    });
    expect(index.references).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ param: 'subject', targetType: 'Patient', targetId: 'p1' }),
        expect.objectContaining({ param: 'patient', targetType: 'Patient', targetId: 'p1' }),
        expect.objectContaining({ param: 'performer', url: 'http://other.org/Practitioner/9' }),
      ]),
    );
    const group = extract({ resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject: { reference: 'Group/g1' } });
    expect(group.references.some((r) => r.param === 'patient')).toBe(false);
    expect(group.references.some((r) => r.param === 'subject' && r.targetType === 'Group')).toBe(true);
  });

  test('an identifier counts under resolve() is X only when the reference says it is an X', () => {
    const client = { identifier: { system: 'urn:ietf:params:oauth:client-id', value: 'app' } };
    const patientIds = (what: Record<string, unknown>) =>
      extract({ resourceType: 'AuditEvent', agent: [{ who: what, requestor: true }], recorded: '2024-01-01T00:00:00Z', type: { code: 'rest' }, source: { observer: {} } })
        .references.filter((r) => r.param === 'patient')
        .map((r) => r.identifierValue ?? r.targetId);
    expect(patientIds(client)).toEqual([]);
    expect(patientIds({ ...client, type: 'Patient' })).toEqual(['app']);
    expect(patientIds({ reference: 'Patient/p1', identifier: { value: 'ramq-1' } })).toEqual(['p1', 'ramq-1']);
    expect(patientIds({ reference: 'Practitioner/d1', identifier: { value: 'lic-1' } })).toEqual([]);
    // Without a resolve() filter every identifier is indexed.
    const agent = extract({ resourceType: 'AuditEvent', agent: [{ who: client, requestor: true }], recorded: '2024-01-01T00:00:00Z', type: { code: 'rest' }, source: { observer: {} } });
    expect(agent.references.filter((r) => r.param === 'agent').map((r) => r.identifierValue)).toEqual(['app']);
  });

  test('dates from dateTime and open Period; quantities and decimals', () => {
    const index = extract({
      resourceType: 'Observation',
      status: 'final',
      code: { text: 'x' },
      effectivePeriod: { start: '2024-01-01' },
      valueQuantity: { value: 5.5, system: 'http://unitsofmeasure.org', code: 'mg' },
    });
    const date = index.dates.find((d) => d.param === 'date')!;
    expect(date.low).toBe(Date.parse('2024-01-01T00:00:00Z'));
    expect(date.high).toBeGreaterThan(Date.parse('9999-01-01'));
    expect(index.quantities).toContainEqual({ param: 'value-quantity', system: 'http://unitsofmeasure.org', code: 'mg', low: 5.5, high: 5.5 });
    const risk = extract({ resourceType: 'RiskAssessment', status: 'final', subject: { reference: 'Patient/1' }, prediction: [{ probabilityDecimal: 0.3 }] });
    expect(risk.numbers).toContainEqual({ param: 'probability', low: 0.3, high: 0.3 });
  });

  test('meta: _profile, _tag and _security', () => {
    const index = extract({
      resourceType: 'Patient',
      meta: { profile: ['http://p'], tag: [{ system: 'urn:t', code: 'a' }], security: [{ system: 'urn:s', code: 'R' }] },
    });
    expect(index.uris).toContainEqual({ param: '_profile', value: 'http://p' });
    expect(index.tokens).toContainEqual({ param: '_tag', system: 'urn:t', code: 'a', text: null });
    expect(index.tokens).toContainEqual({ param: '_security', system: 'urn:s', code: 'R', text: null });
  });

  test('a value of the wrong JSON type indexes nothing, and a row never holds anything but text or a number', () => {
    const index = extract({
      resourceType: 'Patient',
      identifier: [{ system: [], value: {} }, { system: 'urn:ok', value: 'A1' }],
      telecom: [{ system: {}, value: 5 }],
      name: [{ family: 'Roy', given: 'Anne' }, { given: 7 }],
      address: [{ line: 'rue', city: ['Montréal'] }],
      maritalStatus: { coding: 'M' },
      generalPractitioner: [{ identifier: { system: 1, value: 'x' } }],
    });
    const rows = Object.values(index).flat() as Record<string, unknown>[];
    for (const row of rows) for (const value of Object.values(row)) expect(['string', 'number'].includes(typeof value) || value === null).toBe(true);
    expect(index.tokens.filter((t) => t.param === 'identifier')).toEqual([
      { param: 'identifier', system: null, code: null, text: null },
      { param: 'identifier', system: 'urn:ok', code: 'A1', text: null },
    ]);
    expect(index.strings.filter((s) => s.param === 'name').map((s) => s.exact)).toEqual(['Roy']);
    expect(index.tokens.filter((t) => t.param === 'marital-status')).toEqual([]);
    expect(index.references.filter((r) => r.param === 'general-practitioner')).toEqual([
      expect.objectContaining({ identifierSystem: null, identifierValue: 'x' }),
    ]);
  });
});
