import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import express, { type Express } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { SearchParameter } from 'fhir/r4.js';
import { pathToFileURL } from 'node:url';
import { loadConfig, type Config } from './config/config.js';
import type { FhirContext } from './fhir/fhir-request.js';
import { coreElementTypes, coreSearchParameters, resourceTypes } from './fhir/r4-definitions.js';
import { createConformanceRegistry, type CanonicalResource } from './ig/conformance-registry.js';
import { createValidator } from './validation/index.js';
import { createIndexer } from './fhir/search/extract-index.js';
import { SearchParameterRegistry } from './fhir/search/search-parameter-registry.js';
import { createAuthServer, type PatientChoice, type PatientDirectory } from './auth/index.js';
import type { SmartSecurity } from './fhir/capability.js';
import { route } from './fhir/router.js';
import { configureApp } from './http/app.js';
import { createExpressServer } from './http/express-server.js';
import { loadDemoData } from './demo/load-demo-data.js';
import { AuditTrail } from './fhir/audit-trail.js';
import { newResourceId } from './fhir/resource-ids.js';
import { outcome } from './fhir/outcomes.js';
import { reindexIfChanged } from './fhir/search/reindex.js';
import { TerminologyService } from './terminology/value-set-expander.js';
import { jsonLogger, type Logger } from './logger.js';
import { migrate } from './storage/sql/migrations.js';
import type { SqlDriver } from './storage/sql/sql-driver.js';
import { SqlRepository } from './storage/sql/sql-repository.js';
import { PostgresDriver } from './storage/postgres/postgres-driver.js';
import { SqliteDriver } from './storage/sqlite/sqlite-driver.js';

export interface RunningServer {
  /** The public base (PUBLIC_URL, or the bound address). */
  url: string;
  /** The address actually bound, e.g. behind a TLS proxy whose public URL differs. */
  localUrl: string;
  fhirBase: string;
  config: Config;
  close(): Promise<void>;
}

/** The composition root: the only place that picks storage drivers and wires the parts together. */
export async function startServer(config: Config, logger: Logger = jsonLogger()): Promise<RunningServer> {
  const driver = await openDriver(config);
  let server: Awaited<ReturnType<typeof listen>> | undefined;
  const close = async () => {
    if (server) await new Promise<void>((resolve) => server!.http.close(() => resolve()));
    await server?.fhir.audit?.flush();
    await driver.close();
  };
  try {
    server = await listen(config, async (url, app) => {
      const fhir: FhirContext & { security?: SmartSecurity } = await createFhirContext(driver, `${url}/fhir`, config, logger);
      await reindexIfChanged(fhir.repo, fhir.searchParameters, logger);
      const auth = await createAuthServer({ config, baseUrl: url, driver, patients: patientDirectory(fhir), logger });
      // The CapabilityStatement names the authorization server (capability.ts reads the optional `security`).
      fhir.security = { authorize: auth.endpoints.authorize, token: auth.endpoints.token, introspect: auth.endpoints.introspect, revoke: auth.endpoints.revoke };
      configureApp(app, { fhir, logger, accessLog: config.accessLog, maxBodyBytes: config.maxBodyBytes, igDir: config.igDir, appDir: config.appDir, auth });
      return fhir;
    });
    if (config.loadDemoData) await loadDemoData(server.fhir, logger);
  } catch (err) {
    // A server that cannot start releases what it opened: the database, its connections and threads.
    await close();
    throw err;
  }
  logger.info('started', { url: server.url, store: driver.dialect });
  return { url: server.url, localUrl: server.localUrl, fhirBase: `${server.url}/fhir`, config, close };
}

/** The configured store (PostgreSQL when DATABASE_URL is set, else the embedded SQLite file), migrated. */
export async function openDriver(config: Config): Promise<SqlDriver> {
  const driver: SqlDriver = config.databaseUrl
    ? new PostgresDriver({ connectionString: config.databaseUrl, maxConnections: config.pgPoolSize })
    : new SqliteDriver({ filename: join(config.dataDir, 'fhir.sqlite'), synchronous: config.sqliteSynchronous });
  await migrate(driver);
  return driver;
}

/**
 * The FHIR layer's parts over a migrated database: the definitions (R4 core, the guide's package when built, and the
 * packages integrators bring), the validator over them, the search index, the repository and the settings.
 */
export async function createFhirContext(driver: SqlDriver, fhirBase: string, config: Config, logger: Logger = jsonLogger()): Promise<FhirContext> {
  const guide = join(config.igDir, 'package');
  if (!existsSync(guide)) logger.warn('ig-not-built', { message: `No implementation guide package at ${guide}: run npm run build:ig` });
  const registry = await createConformanceRegistry({ packages: [...(existsSync(guide) ? [guide] : []), ...config.fhirPackages] });
  const types = resourceTypes();
  const searchParameters = new SearchParameterRegistry(
    [...coreSearchParameters(), ...registry.listLoaded<CanonicalResource & SearchParameter>('SearchParameter')],
    types,
    coreElementTypes(),
  );
  const repo = new SqlRepository(driver, createIndexer(searchParameters, fhirBase));
  return {
    repo,
    audit: new AuditTrail(repo, newResourceId, (err) => logger.error('audit-write-failed', { message: err.message })),
    baseUrl: fhirBase,
    searchParameters,
    terminology: new TerminologyService(registry),
    resourceTypes: new Set(types),
    conformance: registry,
    validator: await createValidator({ registry }),
    settings: { defaultPageSize: config.defaultPageSize, maxPageSize: config.maxPageSize, maxBundleEntries: config.maxBundleEntries },
    newId: newResourceId,
  };
}

/**
 * Listens first, then sets up the express app's routes: with PORT=0 the public URL (used in every absolute URL) is
 * only known once the port is bound. The app itself exists before the server, which creates its requests.
 */
async function listen(
  config: Config,
  build: (url: string, app: Express) => Promise<FhirContext>,
): Promise<{ http: Server; url: string; localUrl: string; fhir: FhirContext }> {
  const app = express();
  const http = createExpressServer(app);
  // Until the app is built, connections are accepted but nothing would answer them: they would hang.
  http.on('request', answerStarting);
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, config.host, () => resolve());
  });
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const localUrl = `http://${config.host}:${port}`;
  const url = config.publicUrl ?? localUrl;
  let fhir: FhirContext;
  try {
    fhir = await build(url, app);
  } catch (err) {
    await new Promise<void>((resolve) => http.close(() => resolve()));
    throw err;
  }
  http.off('request', answerStarting);
  http.on('request', app);
  return { http, url, localUrl, fhir };
}

/** A request that arrives while the server is starting: 503 with Retry-After (RFC 9110 section 15.6.4). */
function answerStarting(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(503, { 'Content-Type': 'application/fhir+json; charset=utf-8', 'Retry-After': '1' });
  res.end(JSON.stringify(outcome('error', 'transient', 'The server is starting: retry in a moment')));
}

/**
 * The patient picker of the authorization server reads patients through the FHIR layer, as the person choosing:
 * the FHIR layer's access policy and audit trail apply to it as to any request.
 */
function patientDirectory(fhir: FhirContext): PatientDirectory {
  const toChoice = (resource: unknown): PatientChoice | undefined => {
    const p = resource as { resourceType?: string; id?: string; name?: { given?: string[]; family?: string; text?: string }[]; birthDate?: string };
    if (p?.resourceType !== 'Patient' || !p.id) return undefined;
    const n = p.name?.[0];
    const name = n?.text ?? [...(n?.given ?? []), n?.family].filter(Boolean).join(' ');
    return { id: p.id, display: `${name || p.id}${p.birthDate ? ` (${p.birthDate})` : ''}` };
  };
  return {
    async search(text, access) {
      const query: [string, string][] = [['_count', '50'], ['_sort', 'name']];
      if (text.trim()) query.push(['name', text.trim()]);
      const res = await route({ ...fhir, access }, { method: 'GET', path: 'Patient', query, headers: {} });
      const bundle = res.resource as { entry?: { resource?: unknown }[] } | undefined;
      return (bundle?.entry ?? []).map((e) => toChoice(e.resource)).filter((c): c is PatientChoice => !!c);
    },
    async find(id, access) {
      if (!/^[A-Za-z0-9\-.]{1,64}$/.test(id)) return undefined;
      // The FHIR layer signals a missing or deleted resource by throwing its error (404/410).
      const res = await route({ ...fhir, access }, { method: 'GET', path: `Patient/${id}`, query: [], headers: {} }).catch(() => undefined);
      return res?.status === 200 ? toChoice(res.resource) : undefined;
    },
  };
}

async function main(): Promise<void> {
  const logger = jsonLogger();
  try {
    const server = await startServer(loadConfig(), logger);
    const stop = async () => {
      await server.close();
      process.exit(0);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  } catch (err) {
    logger.error('start-failed', { message: (err as Error).message });
    process.exit(1);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) void main();
