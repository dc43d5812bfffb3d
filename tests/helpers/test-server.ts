import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/config.js';
import { silentLogger } from '../../src/logger.js';
import { startServer, type RunningServer } from '../../src/main.js';
import { backendToken, testAuthSettings } from './auth.js';
import { createTestDatabase, type Store, type TestDatabase } from './databases.js';

export interface TestServer {
  server: RunningServer;
  base: string;
  /** fetch against the FHIR base, with JSON bodies and FHIR content types, as a backend client with system/*.cruds. */
  fhir(path: string, init?: FhirInit): Promise<FhirResult>;
  /** A current backend services token (system/*.cruds) for this server, obtained through the real protocol. */
  token(): Promise<string>;
  stop(): Promise<void>;
}

export interface FhirInit {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Send `body` as is (a string), not as JSON. */
  raw?: boolean;
  /** Send no Authorization header. */
  anonymous?: boolean;
}

export interface FhirResult {
  status: number;
  headers: Headers;
  // Tests read arbitrary FHIR JSON; the assertions say what they expect of it.
  body: any;
}

/** A real server on port 0 over a fresh database of the given store. */
export async function startTestServer(store: Store, env: Record<string, string> = {}, database?: TestDatabase): Promise<TestServer> {
  const db = database ?? (await createTestDatabase(store));
  // Security by default: the FHIR API needs a token, so the server gets the test clients and the helper a real token.
  const clientsDir = mkdtempSync(join(tmpdir(), 'ccf-clients-'));
  const auth = await testAuthSettings(clientsDir);
  const server = await startServer(loadConfig({ PORT: '0', DEMO_DATA: 'false', ...db.env, ...auth, ...env }), silentLogger);
  const base = server.fhirBase;
  let current: { value: string; at: number } | undefined;
  const token = async () => {
    // Backend tokens live 300 s: renew well before.
    if (!current || Date.now() - current.at > 200_000) current = { value: await backendToken(server, 'system/*.cruds'), at: Date.now() };
    return current.value;
  };
  return {
    server,
    base,
    token,
    fhir: async (path, init = {}) =>
      fhirFetch(base, path, init.anonymous ? init : { ...init, headers: { authorization: `Bearer ${await token()}`, ...init.headers } }),
    async stop() {
      await server.close();
      rmSync(clientsDir, { recursive: true, force: true });
      if (!database) await db.drop();
    },
  };
}

export async function fhirFetch(base: string, path: string, init: FhirInit = {}): Promise<FhirResult> {
  const url = /^https?:/.test(path) ? path : `${base}${path.startsWith('/') || path === '' ? '' : '/'}${path}`;
  const headers: Record<string, string> = { accept: 'application/fhir+json', ...init.headers };
  let body: string | undefined;
  if (init.body !== undefined) {
    body = init.raw ? String(init.body) : JSON.stringify(init.body);
    headers['content-type'] ??= 'application/fhir+json';
  }
  const response = await fetch(url, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body });
  const text = await response.text();
  let parsed: unknown = undefined;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  return { status: response.status, headers: response.headers, body: parsed };
}
