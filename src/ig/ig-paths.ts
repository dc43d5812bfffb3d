// Where the guide's build puts its outputs. Kept apart from the build itself (which needs SUSHI, a build-time tool)
// so the server can find the package and the pages without loading SUSHI.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface IgOutputPaths {
  /** build/ig */
  igDir: string;
  /** build/ig/package: the unpacked FHIR package (package.json, .index.json, Type-id.json, example/) */
  packageDir: string;
  /** build/ig/package.tgz: served at /ig/package.tgz */
  tarball: string;
  /** build/ig/site: served at /ig/ (index.html redirects to fr/index.html) */
  siteDir: string;
}

export function igOutputPaths(rootDir: string, igDir = path.join(rootDir, 'build', 'ig')): IgOutputPaths {
  return {
    igDir,
    packageDir: path.join(igDir, 'package'),
    tarball: path.join(igDir, 'package.tgz'),
    siteDir: path.join(igDir, 'site'),
  };
}

/**
 * The project's root folder, found from this module whether it runs from src/ (tsx) or dist/src/ (compiled): the
 * nearest folder above it holding the project's package.json.
 */
export function projectRoot(from: string = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'caring-community-fhir') return dir;
    if (path.dirname(dir) === dir) throw new Error(`the caring-community-fhir project folder is not above ${from}`);
  }
}

/** The guide's built package (npm run build:ig), if it has been built. */
export function builtGuidePackage(root: string = projectRoot()): string | undefined {
  const dir = igOutputPaths(root).packageDir;
  return existsSync(path.join(dir, 'package.json')) ? dir : undefined;
}
