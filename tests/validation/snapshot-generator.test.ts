import { createConformanceRegistry } from '../../src/ig/conformance-registry.js';
import type { StructureDefinition } from '../../src/validation/element-tree.js';
import { ProfileCompiler } from '../../src/validation/profile-compiler.js';
import { generateSnapshot } from '../../src/validation/snapshot-generator.js';
import { profile } from './helpers.js';

const BASE = 'http://example.org/fhir/StructureDefinition/';

describe('snapshot generation from a differential (FHIR R4 §2.11.0.1)', () => {
  const peer = profile(BASE + 'peer-supporter', 'RelatedPerson', [
    { id: 'RelatedPerson.active', path: 'RelatedPerson.active', min: 1 },
    { id: 'RelatedPerson.relationship', path: 'RelatedPerson.relationship', slicing: { discriminator: [{ type: 'pattern', path: '$this' }], rules: 'open' } },
    { id: 'RelatedPerson.relationship:peerRole', path: 'RelatedPerson.relationship', sliceName: 'peerRole', min: 1, max: '1' },
    { id: 'RelatedPerson.relationship:peerRole.coding.system', path: 'RelatedPerson.relationship.coding.system', fixedUri: 'http://example.org/cs' },
    { id: 'RelatedPerson.period.start', path: 'RelatedPerson.period.start', min: 1 },
    { id: 'RelatedPerson.telecom', path: 'RelatedPerson.telecom', type: [{ code: 'ContactPoint' }], mustSupport: true },
  ]) as unknown as StructureDefinition;

  it('overlays the differential on the base snapshot, creates slices and expands datatypes', async () => {
    const compiler = new ProfileCompiler(await createConformanceRegistry({ resources: [peer as never] }));
    const sd = compiler.structure(BASE + 'peer-supporter')!;
    const byId = new Map(sd.snapshot!.element.map((e) => [e.id, e]));
    expect(byId.get('RelatedPerson.active')!.min).toBe(1);
    // Every base element is kept, in order, with the base's definitions.
    expect(byId.get('RelatedPerson.patient')!.min).toBe(1);
    // The slice is a copy of the sliced element, its children expanded from CodeableConcept then Coding.
    expect(byId.get('RelatedPerson.relationship:peerRole')!.sliceName).toBe('peerRole');
    expect(byId.get('RelatedPerson.relationship:peerRole.coding.system')!.fixedUri).toBe('http://example.org/cs');
    // Slices come after the sliced element and its children.
    const ids = sd.snapshot!.element.map((e) => e.id!);
    expect(ids.indexOf('RelatedPerson.relationship:peerRole')).toBeGreaterThan(ids.indexOf('RelatedPerson.relationship.text'));
    expect(byId.get('RelatedPerson.period.start')!.min).toBe(1);
    expect(byId.get('RelatedPerson.telecom')!.mustSupport).toBe(true);
    expect(compiler.problems.size).toBe(0);
  });

  it('renames a choice to one of its types and rejects unknown paths', async () => {
    const compiler = new ProfileCompiler(await createConformanceRegistry());
    const base = compiler.structure('http://hl7.org/fhir/StructureDefinition/Observation')!;
    const ok: string[] = [];
    const renamed = generateSnapshot(
      { ...(profile(BASE + 'o', 'Observation', [{ path: 'Observation.valueQuantity', min: 1 }]) as unknown as StructureDefinition) },
      base,
      (c) => compiler.structure(c.includes(':') ? c : `http://hl7.org/fhir/StructureDefinition/${c}`),
      ok,
    );
    expect(ok).toEqual([]);
    const slice = renamed.snapshot!.element.find((e) => e.id === 'Observation.value[x]:valueQuantity')!;
    expect(slice.min).toBe(1);
    expect(slice.type!.map((t) => t.code)).toEqual(['Quantity']);
    const problems: string[] = [];
    generateSnapshot(profile(BASE + 'bad', 'Observation', [{ path: 'Observation.valueBla' }, { path: 'Observation.nothing' }]) as unknown as StructureDefinition, base, () => undefined, problems);
    expect(problems).toHaveLength(2);
  });
});
