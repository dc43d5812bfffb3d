import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Resource } from 'fhir/r4.js';
import { coreSearchParameters, coreStructureDefinitions, resourceTypes } from '../../src/fhir/r4-definitions.js';
import { createIndexer } from '../../src/fhir/search/extract-index.js';
import { SearchParameterRegistry } from '../../src/fhir/search/search-parameter-registry.js';
import { compileSimplePath, elementTypes } from '../../src/fhir/search/simple-path.js';

const paths = elementTypes(coreStructureDefinitions());
const withWalker = createIndexer(new SearchParameterRegistry(coreSearchParameters(), resourceTypes(), paths), 'http://x/fhir');
const withFhirPath = createIndexer(new SearchParameterRegistry(coreSearchParameters(), resourceTypes()), 'http://x/fhir');

/** Every JSON resource of the guide's examples and of the R4 validator test cases beside the repository. */
function corpus(): Resource[] {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const dirs = [join(root, 'examples'), join(root, '..', 'shared', 'validator-cases')];
  const found: Resource[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const file = join(dir, name);
      if (statSync(file).isDirectory()) walk(file);
      else if (name.endsWith('.json')) {
        try {
          const json = JSON.parse(readFileSync(file, 'utf8')) as Resource & { entry?: { resource?: Resource }[] };
          if (typeof json?.resourceType !== 'string' || !resourceTypes().includes(json.resourceType)) continue;
          found.push(json, ...(json.entry ?? []).map((e) => e.resource).filter((r): r is Resource => !!r?.resourceType && resourceTypes().includes(r.resourceType)));
        } catch {
          // not JSON (deliberately broken test cases)
        }
      }
    }
  };
  dirs.forEach(walk);
  return found;
}

describe('plain-path expressions walked without fhirpath.js', () => {
  test('most official expressions are plain paths, filters on a child value, or unions of them; other functions are left to FHIRPath', () => {
    expect(compileSimplePath('Patient.name.given', 'Patient', paths)).toBeDefined();
    expect(compileSimplePath('(Observation.value as Quantity)', 'Observation', paths)).toBeDefined();
    expect(compileSimplePath('Observation.value.as(Quantity)', 'Observation', paths)).toBeDefined();
    expect(compileSimplePath('Questionnaire.item.item.linkId', 'Questionnaire', paths)).toBeDefined();
    expect(compileSimplePath("Patient.name.where(use = 'official' or use = 'usual')", 'Patient', paths)).toBeUndefined();
    expect(compileSimplePath('Patient.deceased.exists()', 'Patient', paths)).toBeUndefined();
    expect(compileSimplePath('Patient.deceased.exists() and Patient.deceased != false', 'Patient', paths)).toBeDefined();
    expect(compileSimplePath('Patient.deceased.exists() and Patient.active != false', 'Patient', paths)).toBeUndefined();
    expect(compileSimplePath('Patient.nonsense', 'Patient', paths)).toBeUndefined();
    expect(compileSimplePath('AuditEvent.agent.who | AuditEvent.entity.what', 'AuditEvent', paths)).toBeDefined();
    expect(compileSimplePath('Patient.name | Patient.deceased.exists()', 'Patient', paths)).toBeUndefined();
    expect(compileSimplePath("Patient.telecom.where(system='email')", 'Patient', paths)).toBeDefined();
    expect(compileSimplePath("Patient.telecom.where(system.exists())", 'Patient', paths)).toBeUndefined();
  });

  test('a where filter keeps the nodes whose child equals the literal', () => {
    const email = compileSimplePath("Patient.telecom.where(system='email')", 'Patient', paths)!;
    const telecom = [{ system: 'phone', value: '514' }, { system: 'email', value: 'a@b.c' }, { value: 'x' }];
    expect(email({ resourceType: 'Patient', telecom }).map((n) => [n.data, n.fhirNodeDataType])).toEqual([[telecom[1], 'ContactPoint']]);
  });

  test('Patient.deceased: true when set to true or to a date, false when unset or false, as fhirpath.js says', () => {
    const expression = 'Patient.deceased.exists() and Patient.deceased != false';
    const deceased = compileSimplePath(expression, 'Patient', paths)!;
    const registry = new SearchParameterRegistry(coreSearchParameters(), resourceTypes());
    const viaFhirPath = registry.get('Patient', 'deceased')!.evaluate!;
    for (const more of [{}, { deceasedBoolean: true }, { deceasedBoolean: false }, { deceasedDateTime: '2020-01-01' }]) {
      const patient = { resourceType: 'Patient', ...more };
      const walked = deceased(patient).map((n) => n.data);
      expect(walked).toEqual(viaFhirPath(patient).map((n) => (typeof n === 'object' && n && 'data' in n ? n.data : n)));
      expect(walked).toEqual([more.deceasedBoolean === true || 'deceasedDateTime' in more]);
    }
  });

  test('a union yields each node once, as FHIRPath does', () => {
    const union = compileSimplePath('Patient.name.family | Patient.name.given | Patient.name.family', 'Patient', paths)!;
    const nodes = union({ resourceType: 'Patient', name: [{ family: 'Roy', given: ['Ana', 'Roy'] }] });
    expect(nodes.map((n) => [n.data, n.fhirNodeDataType])).toEqual([
      ['Roy', 'string'],
      ['Ana', 'string'],
    ]);
  });

  test('indexes what fhirpath.js indexes, over hundreds of real resources', () => {
    const resources = corpus();
    expect(resources.length).toBeGreaterThan(200);
    // fhirpath.js yields nothing for `(X.component.value as T)` over several components (FHIRPath's `as` takes one
    // item); the walker indexes every component value, which is what the search parameter means. Only such casts
    // may add rows.
    const casts = new Set(coreSearchParameters().filter((p) => / as |\.as\(/.test(p.expression ?? '')).map((p) => p.code));
    const rows = (index: ReturnType<typeof withWalker>) =>
      Object.entries(index).flatMap(([table, list]) => (list as { param: string }[]).map((r) => ({ key: `${table} ${JSON.stringify(r)}`, param: r.param })));
    let extra = 0;
    for (const resource of resources) {
      const walked = rows(withWalker(resource));
      const evaluated = rows(withFhirPath(resource));
      const walkedKeys = new Set(walked.map((r) => r.key));
      const id = `${resource.resourceType}/${resource.id}`;
      expect({ id, missing: evaluated.filter((r) => !walkedKeys.has(r.key)).map((r) => r.key) }).toEqual({ id, missing: [] });
      const evaluatedKeys = new Set(evaluated.map((r) => r.key));
      const added = walked.filter((r) => !evaluatedKeys.has(r.key));
      expect({ id, unexplained: added.filter((r) => !casts.has(r.param)).map((r) => r.key) }).toEqual({ id, unexplained: [] });
      extra += added.length;
    }
    expect(extra).toBeGreaterThan(0); // the corpus does exercise the multi-component case
  });
});
