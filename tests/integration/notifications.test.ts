import pg from 'pg';
import { loadConfig } from '../../src/config/config.js';
import { openDriver } from '../../src/main.js';
import type { SqlDriver } from '../../src/storage/sql/sql-driver.js';
import { SqlAdapter } from '../../src/auth/sql-adapter.js';
import { REVOCATIONS, VerifiedTokens } from '../../src/auth/verified-tokens.js';
import type { AccessContext } from '../../src/fhir/access-context.js';
import { driverOnFreshDatabase, STORES } from '../helpers/databases.js';

/** Resolves with the next value `take` returns, polling every few milliseconds (notifications are asynchronous). */
async function eventually<T>(take: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const value = take();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const access = (clientId: string): AccessContext => ({ clientId, subject: clientId, scope: 'system/*.rs', grants: [] });
const inAMinute = () => Date.now() + 60_000;

describe.each(STORES)('notifications and remembered tokens on %s', (store) => {
  const fresh = driverOnFreshDatabase(store);

  test('a notification reaches every listener of its channel, and only of its channel', async () => {
    const driver = fresh.driver();
    const heard: string[] = [];
    const one = await driver.listen('ccf_test_a', { message: (p) => heard.push(`a:${p}`), gap: () => heard.push('gap') });
    const other = await driver.listen('ccf_test_b', { message: (p) => heard.push(`b:${p}`), gap: () => heard.push('gap') });
    expect(one.live).toBe(true);
    await driver.notify('ccf_test_a', 'hello');
    await eventually(() => (heard.length ? heard : undefined), 'the notification');
    expect(heard).toEqual(['a:hello']);
    await one.close();
    await driver.notify('ccf_test_a', 'unheard');
    await driver.notify('ccf_test_b', 'still heard');
    await eventually(() => (heard.length === 2 ? heard : undefined), 'the second notification');
    expect(heard).toEqual(['a:hello', 'b:still heard']);
    await other.close();
  });

  test('a remembered token is forgotten when it, or its grant, is announced revoked', async () => {
    const driver = fresh.driver();
    const tokens = await VerifiedTokens.open(driver);
    tokens.remember('t1', tokens.mark, { access: access('c1'), expiresAt: inAMinute() });
    tokens.remember('t2', tokens.mark, { access: access('c2'), expiresAt: inAMinute(), grantId: 'g2' });
    tokens.remember('t3', tokens.mark, { access: access('c3'), expiresAt: inAMinute(), grantId: 'g3' });
    expect(tokens.get('t1')?.clientId).toBe('c1');
    await VerifiedTokens.announce(driver, { token: 't1' });
    await eventually(() => (tokens.get('t1') ? undefined : true), 't1 to be forgotten');
    await VerifiedTokens.announce(driver, { grant: 'g2' });
    await eventually(() => (tokens.get('t2') ? undefined : true), 't2 to be forgotten');
    expect(tokens.get('t3')?.clientId).toBe('c3');
  });

  test('revoking a grant, which oidc-provider asks of every model in turn, is announced once', async () => {
    const driver = fresh.driver();
    const heard: string[] = [];
    const subscription = await driver.listen(REVOCATIONS, { message: (p) => heard.push(p), gap: () => heard.push('gap') });
    const models = ['AccessToken', 'RefreshToken', 'AuthorizationCode', 'Grant'];
    for (const model of models) await new SqlAdapter(driver, model).upsert(`${model}-1`, { grantId: 'g-once' }, 60);
    for (const model of models) await new SqlAdapter(driver, model).revokeByGrantId('g-once');
    expect(await new SqlAdapter(driver, 'AccessToken').find('AccessToken-1')).toBeUndefined();
    // Announcements arrive in order: once this one is heard, so is every one before it.
    await driver.notify(REVOCATIONS, 'end');
    await eventually(() => (heard.includes('end') ? true : undefined), 'the last announcement');
    expect(heard).toEqual([JSON.stringify({ grant: 'g-once' }), 'end']);
    await subscription.close();
  });

  test('a token looked up before a revocation was announced is not remembered; an expired one is not used', async () => {
    const driver = fresh.driver();
    const tokens = await VerifiedTokens.open(driver);
    const mark = tokens.mark;
    await VerifiedTokens.announce(driver, { token: 'anything' });
    await eventually(() => (tokens.mark !== mark ? true : undefined), 'the announcement');
    tokens.remember('late', mark, { access: access('c'), expiresAt: inAMinute() });
    expect(tokens.get('late')).toBeUndefined();
    tokens.remember('expired', tokens.mark, { access: access('c'), expiresAt: Date.now() - 1 });
    expect(tokens.get('expired')).toBeUndefined();
  });
});

describe('a PostgreSQL listener that loses its connection', () => {
  const fresh = driverOnFreshDatabase('postgres');
  let other: SqlDriver;

  beforeAll(async () => {
    other = await openDriver(loadConfig(fresh.database().env));
  });
  afterAll(() => other.close());

  test('hears of the gap, forgets what it remembered, reconnects and hears other processes again', async () => {
    const driver = fresh.driver();
    const heard: string[] = [];
    const subscription = await driver.listen('ccf_test_gap', { message: (p) => heard.push(p), gap: () => heard.push('gap') });
    await other.notify('ccf_test_gap', 'from another process');
    await eventually(() => (heard.length ? true : undefined), 'the first message');
    const tokens = await VerifiedTokens.open(driver);
    tokens.remember('t', tokens.mark, { access: access('c'), expiresAt: inAMinute() });
    expect(tokens.get('t')).toBeDefined();

    // Every listening connection of this database is cut, as a restart or a network failure would.
    const admin = new pg.Client({ connectionString: fresh.database().env.DATABASE_URL });
    await admin.connect();
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'`);
    await admin.end();
    await eventually(() => (heard.includes('gap') ? true : undefined), 'the gap');
    // The tokens listen on a connection of their own, which learns of its end in its own time (within 5 s here,
    // while the token would be trusted for a minute).
    await eventually(() => (tokens.get('t') === undefined ? true : undefined), 'the remembered token to be forgotten');

    // Back: a second gap marks the reconnection, and messages flow again.
    await eventually(() => (subscription.live ? true : undefined), 'the reconnection');
    await eventually(() => (heard.filter((h) => h === 'gap').length === 2 ? true : undefined), 'the second gap');
    await other.notify('ccf_test_gap', 'after the reconnection');
    await eventually(() => (heard.includes('after the reconnection') ? true : undefined), 'a message after reconnecting');
    expect(heard[0]).toBe('from another process');
    await subscription.close();
  });
});
