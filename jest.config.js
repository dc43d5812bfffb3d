// Tests run as native ESM (oidc-provider and fhirpath's contexts are ESM-friendly) with SWC stripping types;
// type checking is `tsc`'s job, run before jest by `npm test`.
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'es6' } }] },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: ['<rootDir>/tests/**/*.test.ts'],
  // Browser flows on a loaded 2-core machine can take a while; a hang still fails within a minute.
  testTimeout: 60000,
  maxWorkers: 2,
};
