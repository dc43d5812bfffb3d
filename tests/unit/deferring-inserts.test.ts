import { deferringInserts, type SqlClient, type SqlValue } from '../../src/storage/sql/sql-driver.js';

/** A client that records the statements it is asked to run. */
function recordingClient() {
  const calls: string[] = [];
  const client: SqlClient = {
    async all<T>(sql: string) {
      calls.push(sql);
      return [] as T[];
    },
    async run(sql: string) {
      calls.push(sql);
      return 0;
    },
    async insertRows(table: string, _columns: string[], rows: SqlValue[][]) {
      calls.push(`insert ${table} ${rows.map((r) => r.join('-')).join(',')}`);
    },
  };
  return { client, calls };
}

describe('inserts deferred within a transaction', () => {
  test('rows are gathered per table and sent before the next other statement, in order', async () => {
    const { client, calls } = recordingClient();
    const tx = deferringInserts(client);
    await tx.insertRows('resources', ['id'], [['a']]);
    await tx.insertRows('sp_token', ['id', 'code'], [['a', 'x']]);
    await tx.insertRows('resources', ['id'], [['b'], ['c']]);
    await tx.insertRows('sp_string', ['id'], []);
    expect(calls).toEqual([]);
    await tx.all('SELECT 1');
    expect(calls).toEqual(['insert resources a,b,c', 'insert sp_token a-x', 'SELECT 1']);
  });

  test('flush sends what is left, once', async () => {
    const { client, calls } = recordingClient();
    const tx = deferringInserts(client);
    await tx.insertRows('resources', ['id'], [['a']]);
    await tx.run('UPDATE resources SET version = 2');
    await tx.insertRows('resources', ['id'], [['b']]);
    await tx.flush();
    await tx.flush();
    expect(calls).toEqual(['insert resources a', 'UPDATE resources SET version = 2', 'insert resources b']);
  });
});
