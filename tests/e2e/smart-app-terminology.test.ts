// The app bundles the guide's code systems (so it works against servers that never loaded the guide); this keeps
// its copy equal to the FSH sources: same codes, same fr-CA and en-CA designations.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CARE_TEAM_ROLES, CAREPLAN_CATEGORY, LIFE_DOMAINS, PEER_ACTIVITIES, type Concept } from '../../smart-app/src/terminology.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function fromFsh(file: string): Concept[] {
  const text = readFileSync(path.join(ROOT, 'profiles/input/fsh/codesystems', file), 'utf8');
  const concepts: Concept[] = [];
  for (const block of text.split(/\n(?=\* #)/).slice(1)) {
    const code = /^\* #([\w-]+)/.exec(block)![1];
    const designation = (lang: string) => {
      const index = new RegExp(`\\^designation\\[(\\d+)\\]\\.language = #${lang}`).exec(block)![1];
      return new RegExp(`\\^designation\\[${index}\\]\\.value = "([^"]+)"`).exec(block)![1];
    };
    concepts.push({ code, fr: designation('fr-CA'), en: designation('en-CA') });
  }
  return concepts;
}

test.each([
  ['CareTeamRole.fsh', CARE_TEAM_ROLES],
  ['PeerActivity.fsh', PEER_ACTIVITIES],
  ['LifeDomain.fsh', LIFE_DOMAINS],
  ['CarePlanCategory.fsh', [CAREPLAN_CATEGORY]],
])('%s: the app has every code with its French and English designations', (file, concepts) => {
  expect(concepts).toEqual(fromFsh(file));
});
