// The guide's speed workload (bench/guide-workload.ts) must stay what it claims: realistic resources that meet the
// guide's profiles, none identical to another, so the figures of `npm run bench:validate` measure valid resources.
import { guideExamples, guideWorkload } from '../../bench/guide-workload.js';
import { createValidator, hasErrors, type Validator } from '../../src/validation/index.js';
import { buildIgForTest } from '../ig/ig-test-build.js';

let validator: Validator;
beforeAll(async () => {
  const ig = await buildIgForTest();
  validator = await createValidator({ packages: [ig.packageDir] });
}, 120000);

test('covers every profile of the guide', () => {
  const profiles = new Set(guideExamples().flatMap((r) => (r.meta as { profile: string[] }).profile));
  expect([...profiles].map((p) => p.slice(p.lastIndexOf('/') + 1)).sort()).toEqual(
    ['life-goal', 'peer-access-consent', 'peer-care-team', 'peer-support-care-plan', 'peer-supporter'],
  );
});

test('its resources are all distinct and all valid against the profiles they claim', () => {
  const resources = guideWorkload(70);
  expect(new Set(resources.map((r) => JSON.stringify(r))).size).toBe(resources.length);
  const invalid = resources.filter((r) => hasErrors(validator.validate(r)));
  expect(invalid.map((r) => `${String(r.resourceType)}/${String(r.id)}`)).toEqual([]);
});
