import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/config.js';
import { silentLogger } from '../../src/logger.js';
import { startServer, type RunningServer } from '../../src/main.js';
import { backendToken, testAuthSettings } from '../helpers/auth.js';

export interface TestServer extends RunningServer {
  stop(): Promise<void>;
}

/** The real server on port 0 with the test clients file, and two patients and an encounter to launch with. */
export async function startAuthTestServer(env: Record<string, string> = {}, extraClients: Record<string, unknown>[] = []): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'auth-test-'));
  const server = await startServer(
    loadConfig({ PORT: '0', DATA_DIR: dir, DEMO_DATA: 'false', ...(await testAuthSettings(dir, extraClients)), ...env }),
    silentLogger,
  );
  const token = await backendToken(server);
  const put = (path: string, body: unknown) =>
    fetch(`${server.fhirBase}/${path}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/fhir+json' },
      body: JSON.stringify(body),
    }).then(async (r) => {
      if (r.status >= 300) throw new Error(`seed ${path}: ${r.status} ${await r.text()}`);
    });
  await put('Patient/p1', { resourceType: 'Patient', id: 'p1', name: [{ given: ['Marie'], family: 'Gagnon' }], birthDate: '1950-03-02' });
  await put('Patient/p2', { resourceType: 'Patient', id: 'p2', name: [{ given: ['Jean'], family: 'Roy' }] });
  await put('Encounter/e1', { resourceType: 'Encounter', id: 'e1', status: 'in-progress', class: { code: 'AMB' }, subject: { reference: 'Patient/p1' } });
  return {
    ...server,
    async stop() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
