import { driverOnFreshDatabase } from '../helpers/databases.js';

/** What the PostgreSQL driver adds to the database's own transactions. */
describe('PostgreSQL driver', () => {
  const { driver } = driverOnFreshDatabase('postgres');

  test('a transaction aborted to break a deadlock runs again: both of two crossing transactions commit', async () => {
    let arrived = 0;
    let release!: () => void;
    const bothHoldOne = new Promise<void>((resolve) => (release = resolve));
    let attempts = 0;
    const crossing = (first: string, second: string) =>
      driver().transaction(async (client) => {
        attempts++;
        await driver().lock(client, first);
        // The first try of each waits until both hold their first lock; then each asks for the other's.
        if (++arrived === 2) release();
        await bothHoldOne;
        await driver().lock(client, second);
        return `${first} then ${second}`;
      });
    const results = await Promise.all([crossing('deadlock:a', 'deadlock:b'), crossing('deadlock:b', 'deadlock:a')]);
    expect(results).toEqual(['deadlock:a then deadlock:b', 'deadlock:b then deadlock:a']);
    expect(attempts).toBe(3); // one of them was rolled back by PostgreSQL's deadlock detector, and ran again
  });
});
