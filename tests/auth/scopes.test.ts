import { covers, isKnownScope, parseScope, parseScopes, permissionString, scopeAllowed } from '../../src/auth/scopes.js';

const perms = (scope: string) => {
  const grant = parseScope(scope);
  return grant ? permissionString(grant.permissions) : undefined;
};

describe('SMART scope parser (scopes-and-launch-context.html)', () => {
  test('v1 scopes map to v2 permissions', () => {
    expect(perms('patient/*.read')).toBe('rs');
    expect(perms('user/CarePlan.write')).toBe('cud');
    expect(perms('system/Observation.*')).toBe('cruds');
    expect(parseScope('patient/*.read')).toMatchObject({ level: 'patient', resourceType: '*' });
  });

  test('v2 permissions in order, each once', () => {
    expect(perms('patient/CarePlan.rs')).toBe('rs');
    expect(perms('user/Observation.cruds')).toBe('cruds');
    expect(perms('system/Patient.c')).toBe('c');
    expect(parseScope('patient/CarePlan.sr')).toBeUndefined();
    expect(parseScope('patient/CarePlan.rrs')).toBeUndefined();
    expect(parseScope('patient/CarePlan.x')).toBeUndefined();
    expect(parseScope('patient/CarePlan.')).toBeUndefined();
  });

  test('granular scopes carry their search parameters', () => {
    const grant = parseScope('patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory');
    expect(grant?.query).toEqual([['category', 'http://terminology.hl7.org/CodeSystem/observation-category|laboratory']]);
    expect(parseScope('patient/Observation.rs?category=a%7Cb&code=x')?.query).toEqual([['category', 'a|b'], ['code', 'x']]);
    expect(parseScope('patient/Observation.read?category=x')).toBeUndefined();
    expect(parseScope('patient/Observation.rs?')).toBeUndefined();
  });

  test('malformed and non-resource scopes', () => {
    for (const s of ['openid', 'launch/patient', 'patients/*.rs', 'patient/observation.rs', 'patient/*', 'admin/*.rs']) expect(parseScope(s)).toBeUndefined();
    expect(parseScopes('openid fhirUser launch patient/*.rs user/Practitioner.read')).toHaveLength(2);
    expect(parseScopes('')).toEqual([]);
    expect(isKnownScope('launch/encounter')).toBe(true);
    expect(isKnownScope('launch/other')).toBe(false);
  });

  test('coverage: a scope ceiling covers narrower scopes only', () => {
    const ceiling = parseScope('system/*.cruds')!;
    expect(covers(ceiling, parseScope('system/Patient.rs')!)).toBe(true);
    expect(covers(ceiling, parseScope('patient/Patient.rs')!)).toBe(false);
    expect(covers(parseScope('system/Patient.rs')!, parseScope('system/Patient.cruds')!)).toBe(false);
    expect(covers(parseScope('system/Observation.rs?category=lab')!, parseScope('system/Observation.rs')!)).toBe(false);
    expect(covers(parseScope('system/Observation.rs?category=lab')!, parseScope('system/Observation.r?category=lab&code=x')!)).toBe(true);
    expect(scopeAllowed('offline_access', ['offline_access'])).toBe(true);
    expect(scopeAllowed('offline_access', ['patient/*.rs'])).toBe(false);
  });

  test('scopes in words for the consent page, in French and English', async () => {
    const { describeScope } = await import('../../src/auth/pages.js');
    expect(describeScope('patient/*.rs', 'fr')).toBe('Lire, rechercher : toutes les données — patient concerné');
    expect(describeScope('user/CarePlan.cud', 'en')).toBe('Create, update, delete: CarePlan — as your access allows');
    expect(describeScope('offline_access', 'fr')).toBe('Garder l’accès après votre déconnexion');
  });

  test('the parser has no Node imports (it also runs in the browser)', async () => {
    const { readFileSync } = await import('node:fs');
    const source = readFileSync(new URL('../../src/auth/scopes.ts', import.meta.url), 'utf8');
    expect(source.match(/^import (?!type ).*$/gm) ?? []).toEqual([]);
  });
});
