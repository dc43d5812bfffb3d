// Where the guide's build puts its outputs. Kept apart from the build itself (which needs SUSHI, a build-time tool)
// so the server can find the package and the pages without loading SUSHI.
import path from 'node:path';

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
