// The built FHIR package: its structure (package.json, .index.json, Type-id.json files, examples), snapshots on every
// profile, the terminology (both designations on every concept), the concept map and the search parameters.
import { cpSync, mkdtempSync, readFileSync, readdirSync, existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tar from 'tar';
import fhirpath from 'fhirpath';
import r4model from 'fhirpath/fhir-context/r4/index.js';
import type { BuildIgResult } from '../../src/ig/build/build-ig.js';
import { corePackageDir, fhirHomeDir } from '../../src/ig/build/core-package-cache.js';
import { writeFhirPackage } from '../../src/ig/build/fhir-package-writer.js';
import { runSushi, type IgConfig } from '../../src/ig/build/run-sushi.js';
import type { FhirResourceJson } from '../../src/ig/fhir-json.js';
import { buildIgForTest, ROOT_DIR } from './ig-test-build.js';

const CANONICAL = 'https://fhir.communautesoignante.ca';
let built: BuildIgResult;
const json = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as FhirResourceJson;
const inPackage = (name: string) => json(path.join(built.packageDir, name));

beforeAll(async () => {
  built = await buildIgForTest();
}, 120000);

test('SUSHI compiled the FSH without errors or warnings', () => {
  // buildIg throws SushiBuildError on any error; warnings are reported and must stay at zero too.
  expect(built.warnings).toEqual([]);
});

test('a broken FSH rule is reported as a SUSHI error even when the log is quiet', async () => {
  const project = mkdtempSync(path.join(os.tmpdir(), 'ig-broken-'));
  cpSync(path.join(ROOT_DIR, 'profiles'), project, { recursive: true });
  writeFileSync(path.join(project, 'input', 'fsh', 'profiles', 'Broken.fsh'), 'Profile: Broken\nParent: Goal\n* noSuchElement 1..1\n');
  const result = await runSushi(project, path.join(project, 'out'), fhirHomeDir(path.join(ROOT_DIR, 'build')), true);
  expect(result.errors.map((e) => e.message).join('\n')).toMatch(/noSuchElement/);
}, 60000);

test('the tarball holds a standard FHIR package with an index of every resource', async () => {
  const entries: string[] = [];
  await tar.list({ file: built.tarball, onReadEntry: (e) => entries.push(e.path) });
  expect(entries).toContain('package/package.json');
  expect(entries).toContain('package/.index.json');
  expect(entries).toContain('package/example/.index.json');
  expect(entries).toContain('package/StructureDefinition-peer-care-team.json');
  expect(entries).toContain('package/example/CareTeam-equipe-lucie-gagnon.json');
  expect(entries.every((e) => e.startsWith('package/'))).toBe(true);

  const manifest = JSON.parse(readFileSync(path.join(built.packageDir, 'package.json'), 'utf8')) as Record<string, unknown>;
  expect(manifest).toMatchObject({
    name: 'ca.communautesoignante.fhir',
    version: '0.1.0',
    fhirVersions: ['4.0.1'],
    canonical: CANONICAL,
    dependencies: { 'hl7.fhir.r4.core': '4.0.1' },
  });

  for (const folder of ['', 'example']) {
    const dir = path.join(built.packageDir, folder);
    const index = JSON.parse(readFileSync(path.join(dir, '.index.json'), 'utf8')) as { 'index-version': number; files: Record<string, string>[] };
    expect(index['index-version']).toBe(1);
    const files = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'package.json' && !f.startsWith('.'));
    expect(index.files.map((f) => f.filename).sort()).toEqual(files.sort());
    for (const entry of index.files) {
      const resource = json(path.join(dir, entry.filename));
      expect(entry.filename).toBe(`${resource.resourceType}-${resource.id}.json`);
      expect(entry.resourceType).toBe(resource.resourceType);
      expect(entry.id).toBe(resource.id);
      if (resource.url) expect(entry.url).toBe(resource.url);
      if (resource.resourceType === 'StructureDefinition') expect(entry).toMatchObject({ kind: resource['kind'], type: resource['type'] });
    }
  }
  // The unpacked folder is kept next to the tarball.
  expect(entries.filter((e) => e.endsWith('.json')).length).toBe(
    readdirSync(built.packageDir).filter((f) => f.endsWith('.json')).length + readdirSync(path.join(built.packageDir, 'example')).length,
  );
});

test('the deliberately invalid examples stay out of the package', () => {
  const examples = readdirSync(path.join(built.packageDir, 'example'));
  expect(examples.some((f) => f.includes('invalid'))).toBe(false);
});

test('every profile and extension has a snapshot that contains its differential', () => {
  const sds = readdirSync(built.packageDir).filter((f) => f.startsWith('StructureDefinition-'));
  expect(sds.map((f) => f.replace(/^StructureDefinition-|\.json$/g, '')).sort()).toEqual(
    ['introduced-by', 'life-goal', 'peer-access-consent', 'peer-care-team', 'peer-support-care-plan', 'peer-supporter'],
  );
  for (const file of sds) {
    const sd = inPackage(file) as FhirResourceJson & { snapshot?: { element: { id: string }[] }; differential: { element: { id: string }[] } };
    expect(sd.url).toBe(`${CANONICAL}/StructureDefinition/${sd.id}`);
    expect(sd).toMatchObject({ version: '0.1.0', status: 'draft', fhirVersion: '4.0.1', publisher: 'Caring Community FHIR project' });
    expect(String(sd['description']).length).toBeGreaterThan(100);
    const ids = new Set(sd.snapshot?.element.map((e) => e.id));
    expect(ids.size).toBeGreaterThanOrEqual(5);
    for (const e of sd.differential.element) expect(ids.has(e.id)).toBe(true);
  }
});

test('every invariant says why it exists and compiles as FHIRPath', () => {
  const sds = readdirSync(built.packageDir).filter((f) => f.startsWith('StructureDefinition-')).map((f) => inPackage(f));
  let count = 0;
  for (const sd of sds) {
    const elements = (sd['snapshot'] as { element: { constraint?: { key: string; source?: string; expression: string; requirements?: string }[] }[] }).element;
    for (const c of elements.flatMap((e) => e.constraint ?? []).filter((c) => c.source === sd.url)) {
      count += 1;
      expect(c.requirements?.length ?? 0).toBeGreaterThan(20);
      expect(() => fhirpath.compile(c.expression, r4model)).not.toThrow();
    }
  }
  expect(count).toBe(7);
});

test('every element a profile constrains says why (requirements)', () => {
  const missing: string[] = [];
  for (const file of readdirSync(built.packageDir).filter((f) => f.startsWith('StructureDefinition-'))) {
    const sd = inPackage(file) as FhirResourceJson & { differential: { element: Record<string, unknown>[] } };
    for (const e of sd.differential.element) {
      const id = String(e['id']);
      // The root carries the profile's description; extension slices and the extension's own url/sub-extensions
      // are structure, explained by the extension's description.
      if (!id.includes('.') || /(^|\.)extension:[^.]+$/.test(id) || /^Extension\.(url|extension)$/.test(id)) continue;
      const constrains = Object.keys(e).some((k) => ['min', 'max', 'type', 'binding', 'mustSupport'].includes(k) || /^(fixed|pattern)/.test(k));
      if (constrains && !(typeof e['requirements'] === 'string' && e['requirements'].length > 10)) missing.push(`${sd.id}: ${id}`);
    }
  }
  expect(missing).toEqual([]);
});

const DOMAIN_CODES: Record<string, string[]> = {
  'care-team-role': ['clinicien-partenaire', 'patient-partenaire', 'citoyen-partenaire', 'proche', 'personne-accompagnee'],
  'peer-activity': ['ecoute-active', 'accompagnement', 'liaison-ressource-communautaire', 'liaison-proches', 'liaison-professionnel', 'developpement-autosoins', 'integration-sociale', 'entraide', 'presentation-pair'],
  'life-domain': ['sante', 'isolement-lien-social', 'projet-de-vie', 'logement', 'revenu', 'emploi-occupation', 'proches-famille', 'loisirs-participation-citoyenne', 'bien-etre-emotionnel', 'acces-aux-services', 'autonomie'],
  'careplan-category': ['plan-accompagnement-pair'],
};

interface ConceptJson {
  code: string;
  display?: string;
  definition?: string;
  designation?: { language?: string; value: string }[];
}

test.each(Object.keys(DOMAIN_CODES))('code system %s has every code of the domain model with fr-CA and en-CA designations', (id) => {
  const cs = inPackage(`CodeSystem-${id}.json`);
  expect(cs).toMatchObject({ url: `${CANONICAL}/CodeSystem/${id}`, status: 'draft', content: 'complete', language: 'fr-CA' });
  const concepts = cs['concept'] as ConceptJson[];
  expect(concepts.map((c) => c.code)).toEqual(DOMAIN_CODES[id]);
  for (const c of concepts) {
    const fr = c.designation?.find((d) => d.language === 'fr-CA')?.value;
    const en = c.designation?.find((d) => d.language === 'en-CA')?.value;
    expect(fr).toBe(c.display);
    expect(en?.length ?? 0).toBeGreaterThan(2);
    expect(en).not.toBe(fr);
    expect(c.definition?.length ?? 0).toBeGreaterThan(20);
  }
  // A value set with the same id includes the code system.
  expect(JSON.stringify(inPackage(`ValueSet-${id}.json`)['compose'])).toContain(cs.url);
});

test('the concept map reaches the public codes named in the domain model', () => {
  const cm = inPackage('ConceptMap-care-team-role-to-public.json');
  const targets = (cm['group'] as { target: string; element: { target: { code: string }[] }[] }[]).flatMap((g) =>
    g.element.flatMap((e) => e.target.map((t) => `${g.target}|${t.code}`)),
  );
  for (const code of ['http://nucc.org/provider-taxonomy|175T00000X', 'http://snomed.info/sct|133932002', 'http://snomed.info/sct|116154003', 'http://snomed.info/sct|62247001', 'http://snomed.info/sct|224535009', 'http://snomed.info/sct|106328005', 'http://snomed.info/sct|59944000']) {
    expect(targets).toContain(code);
  }
});

test('search parameters are complete and their expressions find values in the story', () => {
  const story = (file: string) => json(path.join(ROOT_DIR, 'examples', 'story', file));
  const cases: [string, string, FhirResourceJson, string[]][] = [
    ['careteam-participant-role', 'participant-role', story('careteam-equipe-lucie-gagnon.json'), ['citoyen-partenaire', 'patient-partenaire']],
    ['goal-life-domain', 'life-domain', story('goal-lucie-marcher-fleuve.json'), ['sante', 'bien-etre-emotionnel']],
  ];
  for (const [id, code, resource, expected] of cases) {
    const sp = inPackage(`SearchParameter-${id}.json`);
    expect(sp).toMatchObject({ code, type: 'token', url: `${CANONICAL}/SearchParameter/${id}`, status: 'draft' });
    const found = fhirpath.evaluate(resource, String(sp['expression']), undefined, r4model) as { code?: string; coding?: { code: string }[] }[];
    const codes = found.flatMap((v) => (v.coding ? v.coding.map((c) => c.code) : [v.code]));
    for (const c of expected) expect(codes).toContain(c);
  }
  const expressedBy = inPackage('SearchParameter-goal-expressed-by.json');
  expect(expressedBy).toMatchObject({ code: 'expressed-by', type: 'reference', base: ['Goal'] });
  expect(fhirpath.evaluate(story('goal-lucie-cuisine-collective.json'), String(expressedBy['expression']), undefined, r4model)).toEqual([
    { reference: 'Patient/lucie-gagnon', display: 'Lucie Gagnon' },
  ]);
});

test('the core package cache lives inside the project and is indexed', () => {
  const dir = corePackageDir(path.join(ROOT_DIR, 'build'));
  expect(existsSync(path.join(dir, 'StructureDefinition-CareTeam.json'))).toBe(true);
  const index = JSON.parse(readFileSync(path.join(dir, '.index.json'), 'utf8')) as { files: { filename: string }[] };
  expect(index.files.length).toBeGreaterThan(3000);
  expect(JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'))).toMatchObject({ name: 'hl7.fhir.r4.core', version: '4.0.1' });
});

test('writing the package twice gives byte-identical tarballs', async () => {
  const config = JSON.parse(readFileSync(path.join(built.packageDir, 'package.json'), 'utf8')) as Record<string, string>;
  const igConfig: IgConfig = {
    id: config['name'] ?? '', canonical: CANONICAL, version: '0.1.0', fhirVersion: '4.0.1', title: 't', description: 'd',
    publisher: 'p', contact: [], jurisdiction: [], license: 'Apache-2.0', status: 'draft',
  };
  const resources = [inPackage('CodeSystem-life-domain.json')];
  const a = await writeFhirPackage({ config: igConfig, resources, examples: [], outDir: mkdtempSync(path.join(os.tmpdir(), 'pkg-a-')) });
  const b = await writeFhirPackage({ config: igConfig, resources, examples: [], outDir: mkdtempSync(path.join(os.tmpdir(), 'pkg-b-')) });
  expect(readFileSync(a.tarball).equals(readFileSync(b.tarball))).toBe(true);
});
