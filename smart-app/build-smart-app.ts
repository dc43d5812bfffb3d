/**
 * npm run build:app: bundles the SMART app with esbuild into build/smart-app/ (never committed) and prints the
 * JavaScript size, gzipped, against the app's budget of 150 kB. fhirclient is taken from its "pure" browser entry
 * (FHIRCLIENT_PURE: no cross-fetch or polyfills, every browser the app targets has fetch and WebCrypto), and its
 * node-only crypto fallback is replaced by an empty module.
 */
import { build, type Metafile } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..');
const OUT = process.env.SMART_APP_OUT ?? join(ROOT, 'build', 'smart-app');
const BUDGET = 150 * 1024;

export async function buildSmartApp(target = OUT): Promise<{ gzipBytes: number; metafile: Metafile }> {
  // Built beside the target and swapped in with renames, so a server (or a parallel test process building the
  // same, deterministic output) never serves a half-written app.
  const outdir = `${target}.tmp-${process.pid}`;
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
  const old = `${target}.old-${process.pid}`;
  if (existsSync(target)) renameSync(target, old);
  renameSync(outdir, target);
  rmSync(old, { recursive: true, force: true });
  let gzipBytes = 0;
  const lines: string[] = [];
  for (const file of Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.js'))) {
    const built = join(target, relative(outdir, join(ROOT, file)));
    const raw = readFileSync(built);
    const gz = gzipSync(raw, { level: 9 }).length;
    gzipBytes += gz;
    lines.push(`  ${relative(target, built).padEnd(40)} ${(raw.length / 1024).toFixed(1).padStart(7)} kB  ${(gz / 1024).toFixed(1).padStart(6)} kB gz`);
  }
  console.log(`smart-app → ${relative(ROOT, target)}\n${lines.join('\n')}\n  total JavaScript: ${(gzipBytes / 1024).toFixed(1)} kB gzipped (budget ${BUDGET / 1024} kB)`);
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
