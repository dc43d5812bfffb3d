import { createValidator } from '../../src/validation/index.js';
import { htmlChecks } from '../../src/validation/xhtml-checks.js';
import { errors, profile, text, warnings } from './helpers.js';

const BASE = 'http://example.org/fhir/StructureDefinition/';

const withInvariants = profile(BASE + 'goal-inv', 'Goal', [
  {
    id: 'Goal',
    path: 'Goal',
    constraint: [
      { key: 'lg-1', severity: 'error', human: 'A life goal is in the person\'s own words', expression: 'description.text.exists()' },
      { key: 'lg-2', severity: 'warning', human: 'A note is recommended', expression: 'note.exists()' },
      { key: 'lg-3', severity: 'error', human: 'broken on purpose', expression: 'description.text.nosuchfunction()' },
    ],
  },
]);

const goal = { resourceType: 'Goal', text, lifecycleStatus: 'active', description: { text: 'Reprendre contact avec ma sœur' }, subject: { reference: 'Patient/1' } };

describe('invariants (FHIRPath constraints, FHIR R4 §5.1.0.3)', () => {
  const ready = createValidator({ resources: [withInvariants] });

  it('core invariants: per-1 on Period, dom-2 and dom-3 on contained resources, ref-1', async () => {
    const v = await ready;
    const bad = { resourceType: 'Encounter', text, status: 'finished', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' }, period: { start: '2024-03-02', end: '2024-03-01' } };
    expect(errors(v.validate(bad)).join()).toContain('per-1');
    expect(errors(v.validate({ ...bad, period: { start: '2024-03-01', end: '2024-03-02' } }))).toEqual([]);
    const orphan = { ...goal, contained: [{ resourceType: 'Patient', id: 'p' }] };
    expect(errors(v.validate(orphan)).join()).toContain('dom-3');
    expect(errors(v.validate({ ...orphan, subject: { reference: '#p' } }))).toEqual([]);
    expect(errors(v.validate({ ...goal, subject: { reference: '#nobody' } })).join()).toContain('#nobody');
  });

  it("a profile's own invariants, by severity", async () => {
    const v = await ready;
    const out = v.validate({ ...goal, description: { coding: [{ system: 'http://snomed.info/sct', code: '1' }] } }, { profiles: [BASE + 'goal-inv'] });
    expect(errors(out).join()).toContain("Constraint failed: lg-1: 'A life goal is in the person's own words'");
    expect(warnings(out).join()).toContain('lg-2');
  });

  it('an invariant that FHIRPath cannot evaluate is a warning, not a crash', async () => {
    const out = (await ready).validate(goal, { profiles: [BASE + 'goal-inv'] });
    expect(errors(out)).toEqual([]);
    expect(warnings(out).join()).toContain('lg-3');
  });

  it('internal narrative links resolve to an anchor or a contained resource', async () => {
    const v = await ready;
    const div = (body: string): Record<string, unknown> => ({ status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml">${body}</div>` });
    expect(errors(v.validate({ ...goal, text: div('<p id="a">x</p><a href="#a">voir</a>') }))).toEqual([]);
    const withContained = { ...goal, subject: { reference: '#p' }, contained: [{ resourceType: 'Patient', id: 'p' }], text: div('<a href="#p">la personne</a>') };
    expect(errors(v.validate(withContained))).toEqual([]);
    expect(errors(v.validate({ ...goal, text: div('<a href="#nowhere">voir</a>') })).join()).toContain("Hyperlink '#nowhere' in the narrative does not resolve");
  });

  it('narrative checks (txt-1, txt-2)', async () => {
    expect(htmlChecks('<div xmlns="http://www.w3.org/1999/xhtml"><p>Bonjour <b>Marie</b></p></div>')).toBe(true);
    expect(htmlChecks('<div xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></div>')).toBe(false);
    expect(htmlChecks('<div xmlns="http://www.w3.org/1999/xhtml"><p onclick="x()">a</p></div>')).toBe(false);
    expect(htmlChecks('<div xmlns="http://www.w3.org/1999/xhtml">  </div>')).toBe(false);
    const v = await ready;
    expect(errors(v.validate({ ...goal, text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml"><script>x</script></div>' } })).join()).toContain('txt-1');
  });
});
