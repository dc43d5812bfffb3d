import type { CanonicalResource } from '../../src/ig/conformance-registry.js';
import { createValidator } from '../../src/validation/index.js';
import { errors, profile, text, warnings } from './helpers.js';

const BASE = 'http://example.org/fhir/StructureDefinition/';

// A simple extension (FHIR R4 §2.22): on Goal only, value a boolean.
const acceptance: CanonicalResource = {
  resourceType: 'StructureDefinition',
  url: BASE + 'peer-accepted',
  name: 'PeerAccepted',
  status: 'active',
  kind: 'complex-type',
  abstract: false,
  context: [{ type: 'element', expression: 'Goal' }],
  type: 'Extension',
  baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Extension',
  derivation: 'constraint',
  differential: {
    element: [
      { id: 'Extension', path: 'Extension', max: '1' },
      { id: 'Extension.extension', path: 'Extension.extension', max: '0' },
      { id: 'Extension.url', path: 'Extension.url', fixedUri: BASE + 'peer-accepted' },
      { id: 'Extension.value[x]', path: 'Extension.value[x]', min: 1, type: [{ code: 'boolean' }] },
    ],
  },
};

// A Goal profile that closes its extensions to this one.
const goal = profile(BASE + 'life-goal', 'Goal', [
  { id: 'Goal.extension', path: 'Goal.extension', slicing: { discriminator: [{ type: 'value', path: 'url' }], rules: 'closed' } },
  { id: 'Goal.extension:accepted', path: 'Goal.extension', sliceName: 'accepted', min: 1, max: '1', type: [{ code: 'Extension', profile: [BASE + 'peer-accepted'] }] },
]);

const baseGoal = {
  resourceType: 'Goal',
  text,
  lifecycleStatus: 'active',
  description: { text: 'Retrouver un logement' },
  subject: { reference: 'Patient/1' },
};

describe('extensions', () => {
  const ready = createValidator({ resources: [acceptance, goal] });
  const ext = (value: Record<string, unknown>): Record<string, unknown> => ({ url: BASE + 'peer-accepted', ...value });

  it('validates a known extension against its definition', async () => {
    const v = await ready;
    expect(errors(v.validate({ ...baseGoal, extension: [ext({ valueBoolean: true })] }))).toEqual([]);
    expect(errors(v.validate({ ...baseGoal, extension: [ext({ valueString: 'yes' })] })).join()).toContain("Unrecognized property 'valueString'");
    expect(errors(v.validate({ ...baseGoal, extension: [ext({})] })).join()).toContain('minimum required = 1');
  });

  it('checks where an extension may be used (context)', async () => {
    const v = await ready;
    const patient = { resourceType: 'Patient', text, extension: [ext({ valueBoolean: true })] };
    expect(errors(v.validate(patient)).join()).toContain('is not allowed to be used at this point');
  });

  it('contexts of extensions on primitives are judged by the primitive type (translation on markdown)', async () => {
    const v = await ready;
    const translation = { url: 'http://hl7.org/fhir/StructureDefinition/translation', extension: [{ url: 'lang', valueCode: 'fr-CA' }, { url: 'content', valueString: 'Domaines de vie' }] };
    const vs = { resourceType: 'ValueSet', text, status: 'active', description: 'Life domains', _description: { extension: [translation] } };
    expect(errors(v.validate(vs))).toEqual([]);
    const onDate = { resourceType: 'ValueSet', text, status: 'active', date: '2024-01-01', _date: { extension: [translation] } };
    expect(errors(v.validate(onDate)).join()).toContain('is not allowed to be used at this point');
  });

  it('warns about unknown extensions in open slicing', async () => {
    const v = await ready;
    const out = v.validate({ ...baseGoal, extension: [{ url: 'http://example.org/unknown', valueString: 'x' }] });
    expect(errors(out)).toEqual([]);
    expect(warnings(out).join()).toContain('The extension http://example.org/unknown is unknown');
  });

  it('rejects unknown extensions when the profile closes them, and requires its slice', async () => {
    const v = await ready;
    const out = errors(v.validate({ ...baseGoal, extension: [{ url: 'http://example.org/unknown', valueString: 'x' }] }, { profiles: [BASE + 'life-goal'] }));
    expect(out.join('\n')).toContain('slicing is CLOSED');
    expect(out.join('\n')).toContain("Slice 'Goal.extension:accepted'");
    expect(errors(v.validate({ ...baseGoal, extension: [ext({ valueBoolean: false })] }, { profiles: [BASE + 'life-goal'] }))).toEqual([]);
  });

  it('respects the cardinality an extension declares for itself', async () => {
    const v = await ready;
    const out = errors(v.validate({ ...baseGoal, extension: [ext({ valueBoolean: true }), ext({ valueBoolean: false })] }));
    expect(out.join()).toContain('may appear at most 1 time(s) here, but appears 2 times');
  });

  it('an unknown modifier extension is an error (it cannot be ignored)', async () => {
    const v = await ready;
    const out = errors(v.validate({ ...baseGoal, modifierExtension: [{ url: 'http://example.org/unknown-modifier', valueBoolean: true }] }));
    expect(out.join()).toContain('The modifier extension http://example.org/unknown-modifier is unknown');
  });

  it('rejects a version in an extension url', async () => {
    const v = await ready;
    expect(errors(v.validate({ ...baseGoal, extension: [ext({ url: BASE + 'peer-accepted|1.0', valueBoolean: true })] })).join()).toContain('must not contain a version');
  });

  it('requires either a value or nested extensions (ext-1)', async () => {
    const v = await ready;
    const out = errors(v.validate({ ...baseGoal, extension: [{ url: 'http://example.org/unknown' }] }));
    expect(out.join()).toContain('ext-1');
  });
});
