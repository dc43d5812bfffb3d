import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create } from 'tar';
import { createConformanceRegistry } from '../../src/ig/conformance-registry.js';
import { loadPackage } from '../../src/ig/package-loader.js';
import { createValidator } from '../../src/validation/index.js';
import { errors, profile, text } from './helpers.js';

const URL = 'http://example.org/fhir/StructureDefinition/peer-care-team';

/** Writes a minimal FHIR NPM package (package/package.json + resources) and packs it as a .tgz. */
async function makePackage(dir: string): Promise<{ folder: string; tgz: string }> {
  const folder = join(dir, 'pkg');
  mkdirSync(join(folder, 'package', 'example'), { recursive: true });
  writeFileSync(join(folder, 'package', 'package.json'), JSON.stringify({ name: 'example.peer', version: '0.1.0', fhirVersions: ['4.0.1'] }));
  const sd = profile(URL, 'CareTeam', [{ id: 'CareTeam.subject', path: 'CareTeam.subject', min: 1 }]);
  writeFileSync(join(folder, 'package', 'StructureDefinition-peer-care-team.json'), JSON.stringify(sd));
  writeFileSync(join(folder, 'package', 'ValueSet-x.json'), JSON.stringify({ resourceType: 'ValueSet', url: 'http://example.org/fhir/ValueSet/x', status: 'active' }));
  writeFileSync(join(folder, 'package', '.index.json'), '{}');
  writeFileSync(join(folder, 'package', 'example', 'CareTeam-1.json'), JSON.stringify({ resourceType: 'CareTeam', id: '1' }));
  const tgz = join(dir, 'example.peer-0.1.0.tgz');
  await create({ gzip: true, file: tgz, cwd: folder }, ['package']);
  return { folder, tgz };
}

describe('FHIR package loader and conformance registry', () => {
  let dir: string;
  let pkg: { folder: string; tgz: string };
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ccf-pkg-'));
    pkg = await makePackage(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a .tgz: manifest and the resources of package/ (not examples)', async () => {
    const p = await loadPackage(pkg.tgz);
    expect(p.manifest.name).toBe('example.peer');
    expect(p.resources.map((r) => r.resourceType).sort()).toEqual(['StructureDefinition', 'ValueSet']);
  });

  it('reads the same package unpacked', async () => {
    const p = await loadPackage(pkg.folder);
    expect(p.manifest.version).toBe('0.1.0');
    expect(p.resources).toHaveLength(2);
  });

  it('indexes by canonical url, with |version, and lists by type; loaded resources win over core', async () => {
    const reg = await createConformanceRegistry({ packages: [pkg.tgz] });
    expect(reg.get(URL)?.resourceType).toBe('StructureDefinition');
    expect(reg.get('http://hl7.org/fhir/StructureDefinition/Patient|4.0.1')?.name).toBe('Patient');
    expect(reg.get('http://hl7.org/fhir/StructureDefinition/Patient|3.0.2')).toBeUndefined();
    expect(reg.listLoaded('ValueSet').map((v) => v.url)).toEqual(['http://example.org/fhir/ValueSet/x']);
    const own = { resourceType: 'ValueSet', url: 'http://hl7.org/fhir/ValueSet/administrative-gender', version: '4.0.1', name: 'Mine' };
    reg.add(own);
    expect(reg.get('http://hl7.org/fhir/ValueSet/administrative-gender')?.name).toBe('Mine');
    expect(reg.list('SearchParameter').length).toBeGreaterThan(1000);
  });

  it('validates against a differential-only profile from a package', async () => {
    const v = await createValidator({ packages: [pkg.tgz] });
    expect(errors(v.validate({ resourceType: 'CareTeam', text }, { profiles: [URL] })).join()).toContain('CareTeam.subject: minimum required = 1');
    expect(errors(v.validate({ resourceType: 'CareTeam', text, subject: { reference: 'Patient/1' } }, { profiles: [URL] }))).toEqual([]);
  });
});
