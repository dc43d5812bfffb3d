import { createServer } from 'node:net';
import { loadConfig } from '../../src/config/config.js';
import { silentLogger } from '../../src/logger.js';
import { startServer } from '../../src/main.js';
import { testAuthSettings } from '../helpers/auth.js';
import { createTestDatabase } from '../helpers/databases.js';

/** A port nothing listens on now. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/**
 * The first answer the port gives, trying until one comes (refused connections and unanswered requests retry), or
 * the error `starting` fails with: a server that cannot start fails the test with its reason, not by a timeout.
 */
async function firstAnswer(url: string, starting: Promise<unknown>): Promise<Response> {
  let failed: unknown;
  starting.catch((err: unknown) => (failed = err ?? new Error('start-up failed')));
  for (;;) {
    if (failed) throw failed;
    try {
      return await fetch(url, { signal: AbortSignal.timeout(3000) });
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}

describe('start-up', () => {
  test('a request that arrives while the server starts gets 503 with Retry-After, not a connection left hanging', async () => {
    const db = await createTestDatabase('sqlite');
    const port = await freePort();
    const config = loadConfig({ PORT: String(port), DEMO_DATA: 'false', ...db.env, ...(await testAuthSettings(db.env.DATA_DIR)) });
    // The port is bound before the FHIR layer is built (its public URL needs the port): the answer comes in between.
    const starting = startServer(config, silentLogger);
    const early = await firstAnswer(`http://127.0.0.1:${port}/fhir/metadata`, starting);
    const server = await starting;
    try {
      expect(early.status).toBe(503);
      expect(early.headers.get('retry-after')).toBe('1');
      expect((await early.json()).issue[0].code).toBe('transient');
      expect((await fetch(`${server.fhirBase}/metadata`)).status).toBe(200);
    } finally {
      await server.close();
      await db.drop();
    }
  });
});
