import type { Bundle, Patient, Resource } from 'fhir/r4.js';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resourceJson } from '../../src/http/fhir-json.js';
import { StoredResource, attachResourceOf, attachStoredResource } from '../../src/storage/stored-resource.js';

/** A Patient as SQLite holds it: the text JSON.stringify wrote. */
const storedText = '{"resourceType":"Patient","id":"p1","meta":{"versionId":"2","lastUpdated":"2026-11-22T10:00:00.000Z"},"name":[{"family":"Côté"}]}';
const stored = (text = storedText) => {
  const parsed = JSON.parse(text) as Resource;
  return new StoredResource(parsed.resourceType, parsed.id!, text);
};
const searchset = (...resources: StoredResource[]): Bundle => ({
  resourceType: 'Bundle',
  type: 'searchset',
  total: resources.length,
  link: [{ relation: 'self', url: 'http://x/fhir/Patient?name=c%C3%B4t%C3%A9' }],
  entry: resources.map((r) => attachStoredResource({ fullUrl: `http://x/fhir/Patient/${r.id}`, search: { mode: 'match' as const } }, r)),
});

describe('response JSON with stored resources', () => {
  test('a searchset carries the stored text of its matches, and means what serializing them parsed would', () => {
    const body = resourceJson({ resource: searchset(stored(), stored(storedText.replace('p1', 'p2'))) });
    expect(body).toContain(`"resource":${storedText}`);
    expect(JSON.parse(body)).toEqual(JSON.parse(JSON.stringify(searchset(stored(), stored(storedText.replace('p1', 'p2'))))));
    expect(JSON.parse(body).entry[1]).toEqual({ fullUrl: 'http://x/fhir/Patient/p2', resource: JSON.parse(storedText.replace('p1', 'p2')), search: { mode: 'match' } });
  });

  test('a stored entry read in the process is the parsed resource, and a change made to it is what is sent', () => {
    const bundle = searchset(stored());
    const patient = bundle.entry![0].resource as Patient;
    expect(patient.name).toEqual([{ family: 'Côté' }]);
    patient.name = [{ family: 'Changed' }];
    const body = resourceJson({ resource: bundle });
    expect(body).not.toContain(storedText);
    expect(JSON.parse(body).entry[0].resource.name).toEqual([{ family: 'Changed' }]);
  });

  test('entries of every kind keep their members: stored, parsed, an outcome', () => {
    const outcome = { resourceType: 'OperationOutcome', issue: [{ severity: 'warning', code: 'not-supported', diagnostics: 'Parameters ignored: x' }] };
    const bundle = searchset(stored());
    bundle.entry!.push({ fullUrl: 'http://x/fhir/Practitioner/d', resource: { resourceType: 'Practitioner', id: 'd' }, search: { mode: 'include' } });
    bundle.entry!.push({ resource: outcome as Resource, search: { mode: 'outcome' } });
    const body = resourceJson({ resource: bundle });
    expect(body).toContain(storedText);
    expect(JSON.parse(body)).toEqual(JSON.parse(JSON.stringify(bundle)));
    expect(JSON.parse(body).entry.map((e: { search: { mode: string } }) => e.search.mode)).toEqual(['match', 'include', 'outcome']);
  });

  test('pretty printing serializes the resource itself', () => {
    const pretty = resourceJson({ resource: searchset(stored()) }, true);
    expect(pretty).toContain('\n  "resourceType": "Bundle"');
    // The entry's resource is indented too, not the stored (compact) text spliced in.
    expect(pretty).toContain('"resource": {\n');
    expect(pretty).not.toContain(storedText);
    expect(JSON.parse(pretty).entry[0].resource).toEqual(JSON.parse(storedText));
  });

  test('a stored resource is parsed once, when first asked for, and then no longer offers its text', () => {
    const resource = stored();
    expect(resource.json).toBe(storedText);
    expect(resource.resource).toBe(resource.resource);
    expect(resource.resource).toEqual(JSON.parse(storedText));
    expect(resource.json).toBeUndefined();
  });

  test('a response holding a stored resource (a read) is its stored text until something reads the resource', () => {
    const version = attachStoredResource({ resourceType: 'Patient', id: 'p1', versionId: '2' }, stored());
    const response = attachResourceOf({ status: 200 }, version);
    expect(resourceJson(response)).toBe(storedText);
    expect(resourceJson(response, true)).toBe(JSON.stringify(JSON.parse(storedText), null, 2));
    (response.resource as Patient).gender = 'other';
    expect(JSON.parse(resourceJson(response))).toEqual({ ...JSON.parse(storedText), gender: 'other' });
    const written = attachResourceOf({ status: 201 }, { resource: JSON.parse(storedText) as Resource });
    expect(resourceJson(written)).toBe(JSON.stringify(JSON.parse(storedText)));
  });

  test('anything but a Bundle with unread stored entries is JSON.stringify output', () => {
    const patient = JSON.parse(storedText) as Resource;
    expect(resourceJson({ resource: patient })).toBe(JSON.stringify(patient));
    const plain: Bundle = { resourceType: 'Bundle', type: 'searchset', entry: [{ resource: patient }] };
    expect(resourceJson({ resource: plain })).toBe(JSON.stringify(plain));
  });

  test('holders built alike keep one shape (V8 map) with fast properties, so reads of their members stay cached', () => {
    // In a process of its own, for V8's natives syntax.
    const dir = mkdtempSync(join(tmpdir(), 'ccf-holders-'));
    const script = join(dir, 'holders.mts');
    writeFileSync(
      script,
      `import { StoredResource, attachStoredResource } from ${JSON.stringify(join(process.cwd(), 'src/storage/stored-resource.ts'))};
       // Built at run time, so that only V8 parses the natives syntax, not the TypeScript loader.
       const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)');
       const fast = new Function('a', 'return %HasFastProperties(a)');
       const holder = (i) => attachStoredResource({ resourceType: 'Patient', id: 'p' + i, versionId: '1', lastUpdated: 'x', deleted: false },
         new StoredResource('Patient', 'p' + i, '{"resourceType":"Patient","id":"p' + i + '"}'));
       const first = holder(0);
       let alike = 0;
       for (let i = 1; i <= 5000; i++) if (sameMap(first, holder(i))) alike++;
       console.log(JSON.stringify({ alike, fast: fast(first), id: holder(7).resource.id }));`,
    );
    try {
      const child = spawnSync(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', script], { cwd: process.cwd(), encoding: 'utf8', timeout: 60000 });
      expect(JSON.parse(child.stdout.trim().split('\n').pop() || 'null')).toEqual({ alike: 5000, fast: true, id: 'p7' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
