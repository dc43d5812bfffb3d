import type { CanonicalResource } from '../../src/ig/conformance-registry.js';
import { createConformanceRegistry } from '../../src/ig/conformance-registry.js';
import { TerminologyService } from '../../src/terminology/value-set-expander.js';
import { createValidator } from '../../src/validation/index.js';
import { errors, profile, text, warnings } from './helpers.js';

const CS = 'http://example.org/fhir/CodeSystem/life-domain';
const codeSystem = {
  resourceType: 'CodeSystem',
  url: CS,
  name: 'LifeDomain',
  status: 'active',
  content: 'complete',
  concept: [
    { code: 'sante', display: 'Santé', concept: [{ code: 'bien-etre-emotionnel', display: 'Bien-être émotionnel' }] },
    { code: 'logement', display: 'Logement' },
    { code: 'revenu', display: 'Revenu' },
  ],
};
const all = { resourceType: 'ValueSet', url: 'http://example.org/fhir/ValueSet/life-domain', status: 'active', compose: { include: [{ system: CS }], exclude: [{ system: CS, concept: [{ code: 'revenu' }] }] } };
const health = { resourceType: 'ValueSet', url: 'http://example.org/fhir/ValueSet/health', status: 'active', compose: { include: [{ system: CS, filter: [{ property: 'concept', op: 'is-a', value: 'sante' }] }] } };
const mixed = { resourceType: 'ValueSet', url: 'http://example.org/fhir/ValueSet/mixed', status: 'active', compose: { include: [{ system: CS, concept: [{ code: 'logement' }] }, { system: 'http://snomed.info/sct' }] } };

describe('terminology: local expansion (FHIR R4 §4.9 ValueSet compose)', () => {
  it('expands includes, excludes and is-a filters from local code systems', async () => {
    const tx = new TerminologyService(await createConformanceRegistry({ resources: [codeSystem, all, health, mixed] }));
    expect([...tx.expand(all.url)!.codes.get(CS)!].sort()).toEqual(['bien-etre-emotionnel', 'logement', 'sante']);
    expect([...tx.expand(health.url)!.codes.get(CS)!].sort()).toEqual(['bien-etre-emotionnel', 'sante']);
    expect(tx.checkCode(health.url, CS, 'logement')).toBe('invalid');
    // SNOMED CT cannot be expanded here: its codes are undecidable, never invalid.
    expect(tx.checkCode(mixed.url, 'http://snomed.info/sct', '35489007')).toBe('unknown');
    expect(tx.checkCode(mixed.url, CS, 'logement')).toBe('valid');
  });

  it('answers subsumption both ways, over nesting and parent properties (search :below and :above)', async () => {
    const flat = {
      resourceType: 'CodeSystem', url: 'http://example.org/fhir/CodeSystem/flat', status: 'active', content: 'complete',
      concept: [{ code: 'root' }, { code: 'mid', property: [{ code: 'parent', valueCode: 'root' }] }, { code: 'leaf', property: [{ code: 'subsumedBy', valueCode: 'mid' }] }],
    };
    const tx = new TerminologyService(await createConformanceRegistry({ resources: [codeSystem, flat] }));
    expect([...tx.subsumedBy(CS, 'sante')!].sort()).toEqual(['bien-etre-emotionnel', 'sante']);
    expect([...tx.subsuming(CS, 'bien-etre-emotionnel')!].sort()).toEqual(['bien-etre-emotionnel', 'sante']);
    expect([...tx.subsumedBy(flat.url, 'root')!].sort()).toEqual(['leaf', 'mid', 'root']);
    expect([...tx.subsuming(flat.url, 'leaf')!].sort()).toEqual(['leaf', 'mid', 'root']);
    expect([...tx.subsuming(flat.url, 'unknown')!]).toEqual([]);
    expect(tx.subsuming('http://loinc.org', '8867-4')).toBeNull();
  });

  it('expands core value sets', async () => {
    const tx = new TerminologyService(await createConformanceRegistry());
    expect(tx.checkCode('http://hl7.org/fhir/ValueSet/administrative-gender', undefined, 'female')).toBe('valid');
    expect(tx.checkCode('http://hl7.org/fhir/ValueSet/administrative-gender', undefined, 'f')).toBe('invalid');
  });
});

describe('bindings', () => {
  const goal = (strength: string, valueSet = all.url, name = strength): CanonicalResource =>
    profile(`http://example.org/fhir/StructureDefinition/goal-${name}`, 'Goal', [
      { id: 'Goal.category', path: 'Goal.category', binding: { strength, valueSet } },
    ]);
  const ready = createValidator({ resources: [codeSystem, all, mixed, goal('required'), goal('extensible'), goal('preferred'), goal('required', mixed.url, 'mixed')] });
  const instance = (code: string, system = CS): Record<string, unknown> => ({
    resourceType: 'Goal',
    text,
    lifecycleStatus: 'active',
    description: { text: 'x' },
    subject: { reference: 'Patient/1' },
    category: [{ coding: [{ system, code }] }],
  });

  it('required: a code outside the value set is an error', async () => {
    const v = await ready;
    expect(errors(v.validate(instance('logement'), { profiles: ['http://example.org/fhir/StructureDefinition/goal-required'] }))).toEqual([]);
    expect(errors(v.validate(instance('revenu'), { profiles: ['http://example.org/fhir/StructureDefinition/goal-required'] })).join()).toContain('a code is required from this value set');
  });

  it('extensible is a warning, preferred is information', async () => {
    const v = await ready;
    const ext = v.validate(instance('revenu'), { profiles: ['http://example.org/fhir/StructureDefinition/goal-extensible'] });
    expect(errors(ext)).toEqual([]);
    expect(warnings(ext).join()).toContain('was not found in the value set');
    const pref = v.validate(instance('revenu'), { profiles: ['http://example.org/fhir/StructureDefinition/goal-preferred'] });
    expect(pref.issue.some((i) => i.severity === 'information' && i.code === 'code-invalid')).toBe(true);
  });

  it('codes from external systems the value set includes but that cannot be expanded here are not errors', async () => {
    const v = await ready;
    const mixedProfile = { profiles: ['http://example.org/fhir/StructureDefinition/goal-mixed'] };
    expect(errors(v.validate(instance('123456', 'http://snomed.info/sct'), mixedProfile))).toEqual([]);
    // A system the value set does not include at all is outside it.
    expect(errors(v.validate(instance('123456', 'http://loinc.org'), mixedProfile)).join()).toContain('was not found in the value set');
  });

  it('core required bindings apply to plain codes, and unknown codes of local systems are errors', async () => {
    const v = await ready;
    expect(errors(v.validate({ resourceType: 'Patient', text, gender: 'femme' })).join()).toContain("The code provided (femme) was not found in the value set 'AdministrativeGender'");
    expect(errors(v.validate(instance('nope'))).join()).toContain(`Unknown code 'nope' in the CodeSystem '${CS}'`);
  });
});
