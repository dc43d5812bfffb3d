import type { OperationOutcome } from 'fhir/r4.js';
import { loadConfig, ConfigError } from '../../src/config/config.js';
import { preferences } from '../../src/fhir/fhir-request.js';
import { FhirError } from '../../src/fhir/outcomes.js';
import { enforceOnWrite } from '../../src/fhir/profile-enforcement.js';
import { subset } from '../../src/fhir/subset.js';
import { keysetCondition } from '../../src/storage/sql/keyset.js';
import { numberPlaceholders } from '../../src/storage/postgres/postgres-driver.js';

describe('configuration', () => {
  test('defaults, parsing, and every problem reported at once', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 8080, host: '127.0.0.1', dataDir: './data', databaseUrl: '', loadDemoData: true, production: false });
    expect(loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://fhir.example.org' }).loadDemoData).toBe(false);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/PUBLIC_URL must be an https/);
    expect(() => loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'http://fhir.example.org' })).toThrow(/https/);
    expect(loadConfig({ PUBLIC_URL: 'https://fhir.example.org/' }).publicUrl).toBe('https://fhir.example.org');
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x' });
      throw new Error('expected a ConfigError');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toContain('PORT=eighty');
      expect((err as Error).message).toContain('DATABASE_URL=mysql://x');
    }
  });
});

describe('Prefer header', () => {
  test('return and handling', () => {
    expect(preferences('return=minimal')).toEqual({ return: 'minimal' });
    expect(preferences('handling=strict, return="representation"')).toEqual({ handling: 'strict', return: 'representation' });
    expect(preferences('respond-async')).toEqual({});
  });
});

describe('_summary and _elements', () => {
  const patient = { resourceType: 'Patient' as const, id: '1', text: { status: 'generated' as const, div: '<div/>' }, name: [{ family: 'X' }], photo: [{ url: 'x' }], deceasedBoolean: false, multipleBirthInteger: 2 };
  test('summary keeps summary elements and tags the result', () => {
    const s = subset(patient, 'true', undefined) as unknown as Record<string, unknown>;
    expect(Object.keys(s).sort()).toEqual(['deceasedBoolean', 'id', 'meta', 'name', 'resourceType']);
  });
  test('data drops text; elements keeps choice names by their element', () => {
    expect(subset(patient, 'data', undefined)).not.toHaveProperty('text');
    const e = subset(patient, undefined, ['multipleBirth']) as unknown as Record<string, unknown>;
    expect(e.multipleBirthInteger).toBe(2);
    expect(e.name).toBeUndefined();
  });
});

describe('SQL helpers', () => {
  test('placeholders are numbered outside quoted text', () => {
    expect(numberPlaceholders("SELECT ? , '?' , \"a?\" , ?")).toBe("SELECT $1 , '?' , \"a?\" , $2");
  });
  test('keyset comparison over mixed directions', () => {
    const params: (string | number | null)[] = [];
    const sql = keysetCondition([{ expression: 'a', descending: false }, { expression: 'b', descending: true }], [1, 'x'], 'next', params);
    expect(sql).toBe('((a > ?) OR (a = ? AND b < ?))');
    expect(params).toEqual([1, 1, 'x']);
  });
});

describe('enforcement on write', () => {
  const answering = (issue: OperationOutcome['issue']) => ({ validate: (): OperationOutcome => ({ resourceType: 'OperationOutcome', issue }) });
  const patient = { resourceType: 'Patient' as const };
  test('a malformed resource is the client\'s error (400); a failure of the validator itself is the server\'s, kept out of the response', () => {
    const malformed = answering([{ severity: 'error', code: 'structure', diagnostics: 'Unrecognized property' }]);
    expect(() => enforceOnWrite(malformed, patient)).toThrow(FhirError);
    const crashed = answering([{ severity: 'fatal', code: 'exception', details: { text: 'Internal validator error: boom' }, diagnostics: 'at file:///x.js:1' }]);
    let thrown: unknown;
    try {
      enforceOnWrite(crashed, patient);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect(thrown).not.toBeInstanceOf(FhirError);
    expect((thrown as Error).message).toContain('boom');
  });
});
