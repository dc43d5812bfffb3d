// `npm run build:ig`: builds the implementation guide (package + pages) under build/ig/.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIg, SushiBuildError } from '../src/ig/build/build-ig.js';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const started = Date.now();
try {
  const result = await buildIg({ rootDir, skipSite: process.argv.includes('--no-site') });
  const rel = (p: string) => path.relative(rootDir, p);
  console.log(
    JSON.stringify({
      event: 'ig-built',
      resources: result.resources.length,
      examples: result.examples.length,
      warnings: result.warnings.length,
      package: rel(result.tarball),
      site: rel(result.siteDir),
      ms: Date.now() - started,
    }),
  );
} catch (error) {
  if (error instanceof SushiBuildError) console.error(error.message);
  else console.error(error);
  process.exitCode = 1;
}
