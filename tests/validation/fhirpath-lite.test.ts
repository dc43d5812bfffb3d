import fhirpath from 'fhirpath';
import r4model from 'fhirpath/fhir-context/r4/index.js';
import { compileLite, Unsupported } from '../../src/validation/fhirpath-lite.js';
import { fhirpathOptions } from '../../src/validation/invariants.js';

// Each expression of the subset must give what fhirpath.js gives (or decline), on inputs with and without the data.
const cases: [string, string, unknown[]][] = [
  ['Condition', "clinicalStatus.exists() or verificationStatus.coding.where(system='http://terminology.hl7.org/CodeSystem/condition-ver-status' and code = 'entered-in-error').exists() or category.select($this='problem-list-item').empty()", []],
  ['Condition', "verificationStatus.coding.where(system='http://terminology.hl7.org/CodeSystem/condition-ver-status' and code = 'entered-in-error').empty() or clinicalStatus.empty()", []],
  ['Observation', 'dataAbsentReason.empty() or value.empty()', []],
  ['Observation', '(component.empty() and hasMember.empty()) implies (dataAbsentReason.exists() or value.exists())', []],
  ['Patient', 'contact.name.exists() or contact.telecom.exists() or contact.address.exists() or contact.organization.exists()', []],
  ['Patient', 'name.given.count() > 1 xor active.not()', []],
  ['Patient', "gender != 'male' implies name.exists()", []],
  ['RelatedPerson', '(period.end.exists() and period.end < now()) implies active = false', []],
  ['RelatedPerson', 'period.start <= today() or period.start > now()', []],
];

/** A date `days` away from today, cut to `length` characters (10: a day, 7: a month, 4: a year). */
const fromToday = (days: number, length = 10): string => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, length);
const relatedPeople = [
  fromToday(-400), fromToday(-3), fromToday(-1), fromToday(0), fromToday(1), fromToday(3), fromToday(400),
  fromToday(-400, 7), fromToday(0, 7), fromToday(-800, 4), fromToday(0, 4), fromToday(800, 4),
  `${fromToday(-3)}T10:00:00Z`, `${fromToday(0)}T00:00:00+14:00`, `${fromToday(3)}T23:59:59-12:00`, `${fromToday(-30)}T08:00:00`,
].flatMap((date) => [true, false].map((active) => ({ resourceType: 'RelatedPerson', active, period: { start: date, end: date } })));

const inputs: Record<string, unknown>[] = [
  { resourceType: 'Condition', clinicalStatus: { coding: [{ code: 'active' }] } },
  { resourceType: 'Condition', verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'entered-in-error' }] } },
  { resourceType: 'Condition', clinicalStatus: { coding: [{ code: 'active' }] }, verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'entered-in-error' }] } },
  { resourceType: 'Observation', valueQuantity: { value: 1 }, dataAbsentReason: { text: 'x' } },
  { resourceType: 'Observation', component: [{ code: { text: 'a' } }] },
  { resourceType: 'Observation' },
  { resourceType: 'Patient', contact: [{ gender: 'male' }], name: [{ given: ['a', 'b'] }], active: false },
  { resourceType: 'Patient', gender: 'female', contact: [{ name: { family: 'x' } }], active: true },
  { resourceType: 'Patient', gender: 'male' },
  ...relatedPeople,
];

describe('fhirpath-lite (fast FHIRPath subset for invariants)', () => {
  it.each(cases)('%s: %s agrees with fhirpath.js', (type, expression) => {
    const lite = compileLite(expression);
    // Compared with fhirpath.js as the validator configures it (Java's `not()`).
    const full = fhirpath.compile({ base: type, expression }, r4model, fhirpathOptions);
    for (const input of inputs.filter((i) => i.resourceType === type)) {
      let mine: unknown[] | 'declined';
      try {
        mine = lite ? lite(input) : 'declined';
      } catch {
        mine = 'declined';
      }
      if (mine !== 'declined') expect(mine).toEqual(full(input));
    }
  });

  it('compares dates with now() when they are days apart, and declines when time zones could decide', () => {
    const ended = compileLite('(period.end.exists() and period.end < now()) implies active = false')!;
    const person = (end: string) => ({ resourceType: 'RelatedPerson', active: true, period: { end } });
    expect(ended(person(fromToday(-3)))).toEqual([false]);
    expect(ended(person(fromToday(3)))).toEqual([true]);
    expect(ended(person(fromToday(-800, 4)))).toEqual([false]);
    expect(() => ended(person(fromToday(0)))).toThrow(Unsupported);
    expect(() => ended(person(fromToday(-1)))).toThrow(Unsupported);
    expect(() => ended(person(fromToday(0, 7)))).toThrow(Unsupported);
    expect(() => ended(person('not a date'))).toThrow(Unsupported);
  });

  it('declines what it does not implement', () => {
    expect(compileLite("%resource.id = 'x'")).toBeUndefined();
    expect(compileLite('value is Quantity')).toBeUndefined();
    expect(compileLite('start <= end')).toBeDefined();
    expect(() => compileLite('start <= end')!({ start: '2020-01-01', end: '2020-02-01' })).toThrow();
  });
});
