/**
 * `npm run bench`: throughput of the FHIR server against a bare express handler measured in the same run.
 * The server runs in its own process (one core), autocannon in this one (the other core). Prints figures and
 * ratios; asserts nothing.
 */
import autocannon from 'autocannon';
import pg from 'pg';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningServer } from '../src/main.js';
import { backendToken, testAuthSettings } from '../tests/helpers/auth.js';

const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
/**
 * Seconds of each workload run unmeasured first. V8 goes on optimizing a server's functions for thousands of
 * requests (traced: 268 optimizations in the first 5,000 reads, 38 in the next 15,000); a server that has run for a
 * while is past that.
 */
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
/** A comma-separated subset of workloads to run (read, create, update, search, transaction); all by default. */
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',')) : undefined;
/** A folder for a CPU profile of each server process (node --cpu-prof), to see where its time goes. */
const CPU_PROFILE_DIR = process.env.BENCH_CPU_PROF;
/** Patients stored before the workloads run; `search Patient?name=famille<n>` matches 1% to 11% of them. */
const SEEDED_PATIENTS = 5000;

interface Started {
  url: string;
  child: ChildProcess;
}

function start(args: string[], env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
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

interface Figures {
  title: string;
  rps: number;
  p50: number;
  p99: number;
  /** The server process's CPU time per request: steadier than requests/s when other load shares the machine. */
  cpuMicros?: number;
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); undefined elsewhere. */
function cpuSeconds(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime and stime, in clock ticks of 1/100 s
  } catch {
    return undefined;
  }
}

/** The machine's CPU time so far (all cores, in clock ticks) and the part of it stolen by the host of this VM (Linux). */
function machineTicks(): { total: number; steal: number } | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
    return { total: fields.reduce((a, b) => a + b, 0), steal: fields[7] };
  } catch {
    return undefined;
  }
}

async function load(title: string, options: autocannon.Options, server?: ChildProcess): Promise<Figures> {
  if (WARMUP > 0) await autocannon({ connections: CONNECTIONS, ...options, duration: WARMUP });
  const cpuBefore = cpuSeconds(server?.pid);
  const result = await autocannon({ connections: CONNECTIONS, duration: DURATION, ...options });
  const cpuAfter = cpuSeconds(server?.pid);
  const failures = result.non2xx + result.errors;
  if (failures) console.error(`  ${title}: ${failures} failed requests of ${result.requests.total}`);
  const cpuMicros = cpuBefore !== undefined && cpuAfter !== undefined ? ((cpuAfter - cpuBefore) * 1e6) / result.requests.total : undefined;
  return { title, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, cpuMicros };
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
  const profile = CPU_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROFILE_DIR}`] : [];
  // The server as `npm start` runs it: compiled by tsc (`prebench`), not transpiled on the fly.
  const server = await start([...profile, 'dist/src/main.js'], { PORT: '0', DEMO_DATA: 'false', ...(await testAuthSettings(dir)), ...env });
  const fhir = `${server.url}/fhir`;
  try {
    const token = await backendToken({ url: server.url } as RunningServer, 'system/*.cruds');
    auth = { authorization: `Bearer ${token}` };
    json = { 'content-type': 'application/fhir+json', ...auth };
    // The searches run over these, before any create: their figure must not depend on how fast creates went.
    for (let batch = 0; batch < SEEDED_PATIENTS / 100; batch++) {
      const res = await fetch(fhir, { method: 'POST', headers: json, body: JSON.stringify(transaction(batch * 100)) });
      if (res.status !== 200) throw new Error(`seeding failed: ${res.status} ${await res.text()}`);
    }
    const created = await (await fetch(`${fhir}/Patient`, { method: 'POST', headers: json, body: JSON.stringify(patient(5000)) })).json();
    const readBody = await (await fetch(`${fhir}/Patient/${created.id}`, { headers: auth })).text();
    const baseline = await start(['--import', 'tsx', 'bench/bare-express.ts', readBody], {});
    // For reference, not as the ceiling: the same handler served as the FHIR server serves its express app.
    const bornBaseline = await start(['--import', 'tsx', 'bench/bare-express.ts', readBody, 'prototypes'], {});
    try {
      const ticksBefore = machineTicks();
      const ceiling = await load('bare express (same JSON)', { url: `${baseline.url}/fhir/Patient/${created.id}` }, baseline.child);
      const born = await load('bare express, requests born with its prototypes', { url: `${bornBaseline.url}/fhir/Patient/${created.id}` }, bornBaseline.child);
      let n = 10000;
      const workloads: [string, string, autocannon.Options][] = [
        ['read', 'read by id', { url: `${fhir}/Patient/${created.id}`, headers: auth }],
        [
          'search',
          'search Patient?name=',
          { url: `${fhir}/Patient?name=famille1`, headers: auth, requests: [{ setupRequest: (req) => ({ ...req, path: `/fhir/Patient?name=famille${n++ % 100}` }) }] },
        ],
        [
          'create',
          'create',
          { url: `${fhir}/Patient`, method: 'POST', headers: json, requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify(patient(n++)) }) }] },
        ],
        ['update', 'update', { url: `${fhir}/Patient/${created.id}`, method: 'PUT', headers: json, body: JSON.stringify({ ...patient(5000), id: created.id }) }],
        [
          'transaction',
          'transaction (100 entries)',
          { url: fhir, method: 'POST', headers: json, connections: 2, requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify(transaction((n += 100))) }) }] },
        ],
      ];
      const results = [];
      for (const [key, title, options] of workloads) if (!ONLY || ONLY.has(key)) results.push(await load(title, options, server.child));
      const ticksAfter = machineTicks();
      // On a virtual machine the host may run other guests on these cores: requests/s then fall for reasons of its own.
      const stolen = ticksBefore && ticksAfter ? (ticksAfter.steal - ticksBefore.steal) / (ticksAfter.total - ticksBefore.total) : undefined;
      const stealNote = stolen === undefined ? '' : `, ${Math.round(stolen * 100)}% of CPU time stolen by the VM's host`;
      console.log(`\n${name}: ${CONNECTIONS} connections, ${DURATION} s per workload after ${WARMUP} s unmeasured, ${SEEDED_PATIENTS} patients stored first${stealNote}`);
      console.log('| workload | requests/s | p50 ms | p99 ms | vs bare express | server CPU µs/request |');
      console.log('|---|---:|---:|---:|---:|---:|');
      for (const r of [ceiling, born, ...results]) {
        const extra = r.title.startsWith('transaction') ? ` (${Math.round(r.rps * 100)} resources/s)` : '';
        const cpu = r.cpuMicros === undefined ? '–' : Math.round(r.cpuMicros);
        console.log(`| ${r.title} | ${Math.round(r.rps)}${extra} | ${r.p50} | ${r.p99} | ${(r.rps / ceiling.rps).toFixed(2)} | ${cpu} |`);
      }
    } finally {
      baseline.child.kill();
      bornBaseline.child.kill();
    }
  } finally {
    await stop(server.child);
  }
}

/** Stops a server and waits for it to exit, so that its CPU profile is written. */
function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/**
 * Runs `fn` on a new, empty database on the server `adminUrl` names, dropped afterwards: like the embedded run, each
 * run starts from nothing, whatever earlier runs left.
 */
async function withFreshDatabase(adminUrl: string, fn: (url: string) => Promise<void>): Promise<void> {
  const name = `ccf_bench_${process.pid}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  try {
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    await fn(url.toString());
  } finally {
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'ccf-bench-'));
try {
  // DATABASE_URL names the PostgreSQL server for the second run; the embedded run must not inherit it.
  await benchStore('SQLite (embedded)', { DATA_DIR: dir, DATABASE_URL: '' });
  if (process.env.DATABASE_URL) await withFreshDatabase(process.env.DATABASE_URL, (url) => benchStore('PostgreSQL', { DATABASE_URL: url }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
