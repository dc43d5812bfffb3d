// The guide's examples through the project's validator, loaded with the built package, as an integrator would:
// every valid example validates, and every invalid one fails for the rule its manifest names and for no other
// (`alsoBreaks` lists the rules the guide states twice, as an invariant and as an element rule, for one defect).
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { OperationOutcomeIssue } from 'fhir/r4.js';
import { createValidator, type Validator } from '../../src/validation/index.js';
import { buildIgForTest, ROOT_DIR } from './ig-test-build.js';

const EXAMPLES = path.join(ROOT_DIR, 'examples');
interface ManifestEntry { profile: string; breaks: string; alsoBreaks?: string[] }
type Example = { resourceType: string; meta?: { profile?: string[] } };

const read = (rel: string) => JSON.parse(readFileSync(path.join(EXAMPLES, rel), 'utf8')) as Example;
const manifest = JSON.parse(readFileSync(path.join(EXAMPLES, 'invalid', 'manifest.json'), 'utf8')) as Record<string, ManifestEntry>;
const validExamples = ['story', 'valid', 'history'].flatMap((dir) => readdirSync(path.join(EXAMPLES, dir)).map((f) => `${dir}/${f}`));

let validator: Validator;
beforeAll(async () => {
  const ig = await buildIgForTest();
  validator = await createValidator({ packages: [ig.packageDir] });
}, 120000);

const errors = (resource: Example, fallbackProfile?: string) =>
  validator
    .validate(resource, { profiles: resource.meta?.profile ?? (fallbackProfile ? [fallbackProfile] : []) })
    .issue.filter((i) => i.severity === 'error' || i.severity === 'fatal') as OperationOutcomeIssue[];

/**
 * Whether an issue is about a rule: an invariant by its key in the message, an element rule by its path (slice
 * names and indexes dropped; `X.value[x]` matches `…value<Type>`; a rule of an extension matches where it is used).
 */
function concerns(issue: OperationOutcomeIssue, rule: string): boolean {
  if (/^[a-z]+(-[a-z0-9]+)+$/.test(rule)) return `${issue.diagnostics ?? ''} ${issue.details?.text ?? ''}`.includes(`${rule}:`) || `${issue.diagnostics ?? ''}`.includes(rule);
  const wanted = rule.replace(/:[A-Za-z0-9-]+/g, '').replace(/\[x\]/g, '').split('.');
  const tail = wanted.slice(1);
  const matchesAt = (actual: string[], k: number) =>
    tail.every((segment, i) => actual[k + 1 + i] !== undefined && actual[k + 1 + i].startsWith(segment));
  return (issue.expression ?? []).some((expression) => {
    const actual = expression.replace(/\[\d+\]/g, '').split('.');
    // The rule's element, or anything inside it; an extension's rule wherever that extension is used.
    if (actual[0] === wanted[0]) return matchesAt(actual, 0);
    return actual.some((segment, k) => segment.toLowerCase() === wanted[0].toLowerCase() && matchesAt(actual, k));
  });
}

test.each(validExamples)('valid example %s has no errors', (rel) => {
  expect(errors(read(rel)).map((i) => `${i.expression?.[0]}: ${i.diagnostics}`)).toEqual([]);
});

test.each(Object.entries(manifest))('invalid example %s fails for its rule and no other', (file, entry) => {
  const found = errors(read(`invalid/${file}`), entry.profile);
  expect(found.some((i) => concerns(i, entry.breaks))).toBe(true);
  const rules = [entry.breaks, ...(entry.alsoBreaks ?? [])];
  expect(found.filter((i) => !rules.some((rule) => concerns(i, rule))).map((i) => `${i.expression?.[0]}: ${i.diagnostics}`)).toEqual([]);
});
