/**
 * `npm run bench`: throughput of the FHIR server against a bare express handler measured in the same run.
 * The server runs in its own process (one core), autocannon in this one (the other core). Prints figures and
 * ratios; asserts nothing.
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningServer } from '../src/main.js';
import { backendToken, testAuthSettings } from '../tests/helpers/auth.js';

const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);

interface Started {
  url: string;
  child: ChildProcess;
}

function start(args: string[], env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      for (const line of buffer.split('\n')) {
        try {
          const event = JSON.parse(line) as { event?: string; url?: string };
          if (event.event === 'started' && event.url) resolve({ url: event.url, child });
        } catch {
          // not a complete JSON line yet
        }
      }
    });
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}: ${buffer}`)));
  });
}

async function load(title: string, options: autocannon.Options): Promise<{ title: string; rps: number; p50: number; p99: number }> {
  const result = await autocannon({ connections: CONNECTIONS, duration: DURATION, ...options });
  const failures = result.non2xx + result.errors;
  if (failures) console.error(`  ${title}: ${failures} failed requests of ${result.requests.total}`);
  return { title, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

/** Every FHIR call needs a token: the benchmark is a SMART backend client like any other (backend-services.html). */
let auth: Record<string, string> = {};
let json: Record<string, string> = {};
const patient = (i: number) => ({
  resourceType: 'Patient',
  identifier: [{ system: 'urn:bench', value: `p${i}` }],
  name: [{ family: `Famille${i % 100}`, given: [`Prénom${i}`] }],
  gender: i % 2 ? 'female' : 'male',
  birthDate: `19${String(40 + (i % 60)).padStart(2, '0')}-0${1 + (i % 9)}-1${i % 10}`,
  address: [{ city: 'Montréal', postalCode: 'H2L 1A1' }],
});
const transaction = (offset: number) => ({
  resourceType: 'Bundle',
  type: 'transaction',
  entry: Array.from({ length: 100 }, (_, i) => ({ resource: patient(offset + i), request: { method: 'POST', url: 'Patient' } })),
});

async function benchStore(name: string, env: Record<string, string>) {
  const server = await start(['src/main.ts'], { PORT: '0', DEMO_DATA: 'false', ...(await testAuthSettings(dir)), ...env });
  const fhir = `${server.url}/fhir`;
  try {
    const token = await backendToken({ url: server.url } as RunningServer, 'system/*.cruds');
    auth = { authorization: `Bearer ${token}` };
    json = { 'content-type': 'application/fhir+json', ...auth };
    for (let batch = 0; batch < 10; batch++) {
      const res = await fetch(fhir, { method: 'POST', headers: json, body: JSON.stringify(transaction(batch * 100)) });
      if (res.status !== 200) throw new Error(`seeding failed: ${res.status} ${await res.text()}`);
    }
    const created = await (await fetch(`${fhir}/Patient`, { method: 'POST', headers: json, body: JSON.stringify(patient(5000)) })).json();
    const readBody = await (await fetch(`${fhir}/Patient/${created.id}`, { headers: auth })).text();
    const baseline = await start(['bench/bare-express.ts', readBody], {});
    try {
      const ceiling = await load('bare express (same JSON)', { url: `${baseline.url}/fhir/Patient/${created.id}` });
      let n = 10000;
      const results = [
        await load('read by id', { url: `${fhir}/Patient/${created.id}`, headers: auth }),
        await load('create', {
          url: `${fhir}/Patient`,
          method: 'POST',
          headers: json,
          requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify(patient(n++)) }) }],
        }),
        await load('update', { url: `${fhir}/Patient/${created.id}`, method: 'PUT', headers: json, body: JSON.stringify({ ...patient(5000), id: created.id }) }),
        await load('search Patient?name=', {
          url: `${fhir}/Patient?name=famille1`,
          headers: auth,
          requests: [{ setupRequest: (req) => ({ ...req, path: `/fhir/Patient?name=famille${n++ % 100}` }) }],
        }),
        await load('transaction (100 entries)', {
          url: fhir,
          method: 'POST',
          headers: json,
          connections: 2,
          requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify(transaction((n += 100))) }) }],
        }),
      ];
      console.log(`\n${name}: ${CONNECTIONS} connections, ${DURATION} s per workload`);
      console.log('| workload | requests/s | p50 ms | p99 ms | vs bare express |');
      console.log('|---|---:|---:|---:|---:|');
      for (const r of [ceiling, ...results]) {
        const extra = r.title.startsWith('transaction') ? ` (${Math.round(r.rps * 100)} resources/s)` : '';
        console.log(`| ${r.title} | ${Math.round(r.rps)}${extra} | ${r.p50} | ${r.p99} | ${(r.rps / ceiling.rps).toFixed(2)} |`);
      }
    } finally {
      baseline.child.kill();
    }
  } finally {
    server.child.kill();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'ccf-bench-'));
try {
  await benchStore('SQLite (embedded)', { DATA_DIR: dir });
  if (process.env.DATABASE_URL) await benchStore('PostgreSQL', { DATABASE_URL: process.env.DATABASE_URL });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
