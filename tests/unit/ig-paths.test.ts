import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtGuidePackage, projectRoot } from '../../src/ig/ig-paths.js';

describe('finding the project and the built guide from any module location', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'ccf-root-'));
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'caring-community-fhir' }));
    mkdirSync(join(root, 'dist', 'src', 'ig'), { recursive: true });
    // a package.json of another project on the way up is not taken for the root
    writeFileSync(join(root, 'dist', 'package.json'), JSON.stringify({ name: 'something-else' }));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('the root is the nearest folder above with the project\'s package.json', () => {
    expect(projectRoot(join(root, 'dist', 'src', 'ig'))).toBe(root);
    expect(() => projectRoot(tmpdir())).toThrow(/not above/);
  });

  test('the guide package is offered only once it has been built', () => {
    expect(builtGuidePackage(root)).toBeUndefined();
    mkdirSync(join(root, 'build', 'ig', 'package'), { recursive: true });
    writeFileSync(join(root, 'build', 'ig', 'package', 'package.json'), '{}');
    expect(builtGuidePackage(root)).toBe(join(root, 'build', 'ig', 'package'));
  });
});
