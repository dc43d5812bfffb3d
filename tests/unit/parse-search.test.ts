import { coreSearchParameters, resourceTypes } from '../../src/fhir/r4-definitions.js';
import { parseSearch, type SearchParseOptions } from '../../src/fhir/search/parse-search.js';
import { SearchParameterRegistry } from '../../src/fhir/search/search-parameter-registry.js';

const registry = new SearchParameterRegistry(coreSearchParameters(), resourceTypes());
const options: SearchParseOptions = { registry, baseUrl: 'http://x/fhir', strict: false, defaultCount: 20, maxCount: 100 };
const parse = (type: string, query: string, opts: Partial<SearchParseOptions> = {}) =>
  parseSearch([type], [...new URLSearchParams(query)], { ...options, ...opts });

describe('parseSearch: query strings into typed search requests', () => {
  test('typed conditions from the official definitions', () => {
    const { query } = parse('Observation', 'code=http://loinc.org|8867-4&date=ge2020&subject:Patient=1&value-quantity=lt5');
    expect(query.conditions.map((c) => c.kind)).toEqual(['token', 'date', 'reference', 'quantity']);
    expect(query.conditions[2]).toMatchObject({ param: 'subject', targetTypes: ['Patient'], values: [{ targetType: 'Patient', id: '1' }] });
  });

  test('chains resolve target types that have the chained parameter', () => {
    const { query } = parse('Observation', 'subject.name=x');
    expect(query.conditions[0]).toMatchObject({ kind: 'chain', param: 'subject', targetTypes: expect.arrayContaining(['Patient']) });
    expect((query.conditions[0] as { targetTypes: string[] }).targetTypes).not.toContain('Device');
  });

  test('_has nests a condition on the referring type', () => {
    const { query } = parse('Patient', '_has:Observation:patient:code=1234');
    expect(query.conditions[0]).toMatchObject({ kind: 'has', sourceType: 'Observation', referenceParam: 'patient', condition: { kind: 'token' } });
  });

  test('result parameters', () => {
    const parsed = parse('Patient', '_count=500&_sort=-birthdate,_id&_include=Patient:organization&_revinclude:iterate=Observation:subject&_summary=true&_total=none');
    expect(parsed.query.count).toBe(100);
    expect(parsed.query.sort).toEqual([
      { param: 'birthdate', index: 'date', descending: true },
      { param: '_id', index: 'id', descending: false },
    ]);
    expect(parsed.includes).toEqual([{ sourceType: 'Patient', param: 'organization', targetType: undefined, iterate: false }]);
    expect(parsed.revIncludes[0]).toMatchObject({ sourceType: 'Observation', param: 'subject', iterate: true });
    expect(parsed.summary).toBe('true');
    expect(parsed.query.total).toBe('none');
  });

  test('unknown parameters: ignored and listed, or an error when strict', () => {
    const lenient = parse('Patient', 'nope=1&gender=male');
    expect(lenient.ignored).toHaveLength(1);
    expect(lenient.applied).toEqual([['gender', 'male']]);
    expect(() => parse('Patient', 'nope=1', { strict: true })).toThrow(/Unknown search parameter/);
  });

  test('unsupported modifiers and bad values are errors, not silent mismatches', () => {
    expect(() => parse('Patient', 'gender:below=x')).toThrow(/not supported/);
    expect(() => parse('Patient', 'birthdate=soon')).toThrow(/Invalid date/);
    expect(() => parse('Patient', 'name=')).toThrow(/empty value/);
    expect(() => parse('Patient', '_sort=name.given')).toThrow(/Cannot sort/);
  });
});
