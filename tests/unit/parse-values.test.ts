import { parseDateValue, parseNumberValue, parseQuantityValue, parseReferenceValue, parseTokenValue, splitEscaped } from '../../src/fhir/search/parse-values.js';
import { FhirError } from '../../src/fhir/outcomes.js';

describe('search value parsing (R4 search.html)', () => {
  test('commas split OR values unless escaped', () => {
    expect(splitEscaped('a,b\\,c,d', ',')).toEqual(['a', 'b\\,c', 'd']);
  });

  test('tokens: code, system|code, |code, system|', () => {
    expect(parseTokenValue('t', 'abc')).toEqual({ code: 'abc' });
    expect(parseTokenValue('t', 'http://s|abc')).toEqual({ system: 'http://s', code: 'abc' });
    expect(parseTokenValue('t', '|abc')).toEqual({ system: null, code: 'abc' });
    expect(parseTokenValue('t', 'http://s|')).toEqual({ system: 'http://s', code: undefined });
    expect(parseTokenValue('t', 'a\\|b')).toEqual({ code: 'a|b' });
    expect(() => parseTokenValue('t', 'a|b|c')).toThrow(FhirError);
  });

  test('numbers carry the implicit precision of their digits', () => {
    expect(parseNumberValue('n', '100')).toMatchObject({ prefix: 'eq', low: 99.5, high: 100.5 });
    expect(parseNumberValue('n', '100.00')).toMatchObject({ low: 99.995, high: 100.005 });
    expect(parseNumberValue('n', '1e2')).toMatchObject({ low: 50, high: 150 });
    expect(parseNumberValue('n', 'gt5')).toMatchObject({ prefix: 'gt', low: 5, high: 5 });
    expect(() => parseNumberValue('n', 'five')).toThrow(FhirError);
  });

  test('dates take prefixes; "ap" widens the range', () => {
    const v = parseDateValue('d', 'ge2020-01-01');
    expect(v.prefix).toBe('ge');
    expect(v.low).toBe(Date.parse('2020-01-01T00:00:00Z'));
    const ap = parseDateValue('d', 'ap2020-01-01');
    expect(ap.low).toBeLessThan(v.low);
    expect(() => parseDateValue('d', 'ge')).toThrow(FhirError);
  });

  test('quantities: number|system|code', () => {
    expect(parseQuantityValue('q', 'le5.4|http://unitsofmeasure.org|mg')).toMatchObject({ prefix: 'le', low: 5.4, system: 'http://unitsofmeasure.org', code: 'mg' });
    expect(parseQuantityValue('q', '5||mg')).toMatchObject({ system: undefined, code: 'mg' });
  });

  test('references: id, Type/id, own absolute URL, foreign URL', () => {
    const base = 'http://localhost:8080/fhir';
    expect(parseReferenceValue('r', '123', base)).toEqual({ id: '123' });
    expect(parseReferenceValue('r', 'Patient/123', base)).toEqual({ targetType: 'Patient', id: '123' });
    expect(parseReferenceValue('r', `${base}/Patient/123`, base)).toEqual({ targetType: 'Patient', id: '123' });
    expect(parseReferenceValue('r', 'http://other.org/fhir/Patient/1', base)).toEqual({ url: 'http://other.org/fhir/Patient/1' });
    expect(() => parseReferenceValue('r', 'not a ref', base)).toThrow(FhirError);
  });
});
