import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { profile, text } from './helpers.js';

const root = process.cwd();

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), ...args], { encoding: 'utf8', timeout: 60000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('caring-community-fhir validate (child process)', () => {
  let dir: string;
  let igDir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ccf-cli-'));
    mkdirSync(join(dir, 'nested'));
    writeFileSync(join(dir, 'good.json'), JSON.stringify({ resourceType: 'Patient', text, gender: 'female' }));
    writeFileSync(join(dir, 'nested', 'bad.json'), JSON.stringify({ resourceType: 'Patient', text, gender: 'f' }));
    igDir = mkdtempSync(join(tmpdir(), 'ccf-ig-'));
    mkdirSync(join(igDir, 'package'), { recursive: true });
    writeFileSync(join(igDir, 'package', 'package.json'), JSON.stringify({ name: 'example.cli', version: '0.0.1' }));
    const sd = profile('http://example.org/fhir/StructureDefinition/dated-patient', 'Patient', [{ id: 'Patient.birthDate', path: 'Patient.birthDate', min: 1 }]);
    writeFileSync(join(igDir, 'package', 'StructureDefinition-dated-patient.json'), JSON.stringify(sd));
    writeFileSync(join(dir, 'lines.ndjson'), [{ resourceType: 'Patient', text }, { resourceType: 'Patient', text, foo: 1 }].map((r) => JSON.stringify(r)).join('\n'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(igDir, { recursive: true, force: true });
  });

  it('exits 0 when every resource is valid', () => {
    const r = cli('validate', join(dir, 'good.json'));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('1 valid, 0 with errors');
  });

  it('walks folders recursively, reads ndjson, and exits 1 on errors', () => {
    const r = cli('validate', dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('bad.json: 1 error(s)');
    expect(r.stdout).toContain('lines.ndjson:2');
    expect(r.stdout).toContain('4 resource(s) checked: 2 valid, 2 with errors');
  });

  it('prints machine-readable JSON with --output json', () => {
    const r = cli('validate', join(dir, 'nested'), '--output', 'json');
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout) as { invalid: number; results: { file: string; outcome: { issue: { severity: string }[] } }[] };
    expect(out.invalid).toBe(1);
    expect(out.results[0].outcome.issue.some((i) => i.severity === 'error')).toBe(true);
  });

  it('loads an implementation guide (differential-only profiles) with --ig and applies --profile', () => {
    const r = cli('validate', join(dir, 'good.json'), '--ig', igDir, '--profile', 'http://example.org/fhir/StructureDefinition/dated-patient');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('Patient.birthDate: minimum required = 1');
  });

  it('exits 2 on usage errors', () => {
    expect(cli('validate').status).toBe(2);
    expect(cli('validate', '--output', 'xml', dir).status).toBe(2);
    expect(cli('validate', join(dir, 'missing.json')).status).toBe(2);
    expect(cli('nosuchcommand').status).toBe(2);
  });
});
