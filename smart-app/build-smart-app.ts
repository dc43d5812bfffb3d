/**
 * npm run build:app: bundles the SMART app with esbuild into build/smart-app/ (never committed) and prints the
 * JavaScript size, gzipped, against the app's budget of 150 kB. fhirclient is taken from its "pure" browser entry
 * (FHIRCLIENT_PURE: no cross-fetch or polyfills, every browser the app targets has fetch and WebCrypto), and its
 * node-only crypto fallback is replaced by an empty module.
 */
import { build, type Metafile } from 'esbuild';
import { cpSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..');
const OUT = process.env.SMART_APP_OUT ?? join(ROOT, 'build', 'smart-app');
const BUDGET = 150 * 1024;

export async function buildSmartApp(outdir = OUT): Promise<{ gzipBytes: number; metafile: Metafile }> {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    entryPoints: { app: join(HERE, 'src/main.ts'), launch: join(HERE, 'src/launch.ts') },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    chunkNames: 'chunks/[name]-[hash]',
    minify: true,
    sourcemap: true,
    target: ['es2022', 'chrome109', 'firefox115', 'safari16'],
    metafile: true,
    legalComments: 'linked',
    define: { FHIRCLIENT_PURE: 'true', 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
    alias: { 'isomorphic-webcrypto': join(HERE, 'src/empty-module.ts') },
    logLevel: 'warning',
  });
  cpSync(join(HERE, 'public'), outdir, { recursive: true });
  let gzipBytes = 0;
  const lines: string[] = [];
  for (const file of Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.js'))) {
    const raw = readFileSync(join(ROOT, file));
    const gz = gzipSync(raw, { level: 9 }).length;
    gzipBytes += gz;
    lines.push(`  ${relative(outdir, join(ROOT, file)).padEnd(40)} ${(raw.length / 1024).toFixed(1).padStart(7)} kB  ${(gz / 1024).toFixed(1).padStart(6)} kB gz`);
  }
  console.log(`smart-app → ${relative(ROOT, outdir)}\n${lines.join('\n')}\n  total JavaScript: ${(gzipBytes / 1024).toFixed(1)} kB gzipped (budget ${BUDGET / 1024} kB)`);
  return { gzipBytes, metafile: result.metafile };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { gzipBytes, metafile } = await buildSmartApp();
  if (process.argv.includes('--analyze')) {
    const { analyzeMetafile } = await import('esbuild');
    console.log(await analyzeMetafile(metafile));
  }
  if (gzipBytes > BUDGET) {
    console.error(`smart-app: ${(gzipBytes / 1024).toFixed(1)} kB gzipped is over the ${BUDGET / 1024} kB budget`);
    process.exit(1);
  }
}
