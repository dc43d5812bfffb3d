import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRegistry, toClientMetadata, verifyPassword } from '../../src/auth/clients-file.js';
import { ConfigError } from '../../src/config/config.js';

describe('clients and accounts file', () => {
  test('the demo file registers the SMART app, the EHR sandbox and a backend client on any base URL', () => {
    const registry = loadRegistry('config/clients.demo.json', 'http://localhost:9999', false);
    const app = registry.clients.find((c) => c.client_id === 'caring-community-app');
    expect(app?.kind).toBe('public');
    expect(app?.redirect_uris).toContain('http://localhost:9999/smart-app/');
    expect(registry.clients.find((c) => c.ehr)?.redirect_uris).toContain('http://localhost:9999/ehr/');
    const backend = registry.clients.find((c) => c.kind === 'backend');
    expect(toClientMetadata(backend!)).toMatchObject({ grant_types: ['client_credentials'], token_endpoint_auth_method: 'private_key_jwt' });
    // The demo story's clinician and one of its peers (examples/story/).
    expect(registry.accounts.map((a) => a.fhirUser)).toEqual(['Practitioner/sophie-lavoie', 'RelatedPerson/pair-andre-roy-lucie']);
  });

  test('every problem is reported at once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'clients-'));
    try {
      const file = join(dir, 'bad.json');
      writeFileSync(
        file,
        JSON.stringify({
          clients: [
            { client_id: 'a', kind: 'public', name: 'A', scope: 'patient/*.sr' },
            { client_id: 'b', kind: 'backend', name: 'B', scope: 'user/*.rs' },
          ],
          accounts: [{ id: 'x', username: 'x', fhirUser: 'Nope/1', name: 'X' }],
        }),
      );
      let message = '';
      try {
        loadRegistry(file, 'http://h', false);
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        message = (err as Error).message;
      }
      for (const expected of ['unknown scope patient/*.sr', 'redirect_uris are required', 'jwks or jwks_uri required', 'system/ scopes only', 'fhirUser must be', 'passwordHash required']) {
        expect(message).toContain(expected);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('scrypt password hashes', async () => {
    const { scryptSync } = await import('node:crypto');
    const hash = `scrypt$salt1234$${scryptSync('s3cret', 'salt1234', 32).toString('hex')}`;
    const account = { id: 'a', username: 'a', fhirUser: 'Practitioner/a', name: 'A', passwordHash: hash };
    expect(verifyPassword(account, 's3cret')).toBe(true);
    expect(verifyPassword(account, 'wrong')).toBe(false);
  });
});

describe('sign-in throttle', () => {
  test('a username is refused after five failures within the window, and freed after it', async () => {
    const { LoginThrottle } = await import('../../src/auth/login-throttle.js');
    let now = 0;
    const throttle = new LoginThrottle(5, 1000, () => now);
    for (let i = 0; i < 5; i++) throttle.failed('alice');
    expect(throttle.blocked('alice')).toBe(true);
    expect(throttle.blocked('bob')).toBe(false);
    now = 1001;
    expect(throttle.blocked('alice')).toBe(false);
    throttle.failed('bob');
    throttle.succeeded('bob');
    expect(throttle.blocked('bob')).toBe(false);
  });
});
