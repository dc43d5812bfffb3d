import { insertStatements } from '../../src/storage/postgres/postgres-driver.js';
import { deferringInserts, type RowBatch, type SqlClient } from '../../src/storage/sql/sql-driver.js';

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
    async insert(batches: RowBatch[]) {
      calls.push(`insert ${batches.map((b) => `${b.table} ${b.rows.map((r) => r.join('-')).join(',')}`).join('; ')}`);
    },
  };
  return { client, calls };
}

const rows = (table: string, ...values: string[][]): RowBatch[] => [{ table, columns: values[0]?.map((_, i) => `c${i}`) ?? ['id'], rows: values }];

describe('inserts deferred within a transaction', () => {
  test('rows are gathered per table and sent as one insert before the next other statement, in order', async () => {
    const { client, calls } = recordingClient();
    const tx = deferringInserts(client);
    await tx.insert(rows('resources', ['a']));
    await tx.insert(rows('sp_token', ['a', 'x']));
    await tx.insert(rows('resources', ['b'], ['c']));
    await tx.insert(rows('sp_string'));
    expect(calls).toEqual([]);
    await tx.all('SELECT 1');
    expect(calls).toEqual(['insert resources a,b,c; sp_token a-x', 'SELECT 1']);
  });

  test('flush sends what is left, once', async () => {
    const { client, calls } = recordingClient();
    const tx = deferringInserts(client);
    await tx.insert(rows('resources', ['a']));
    await tx.run('UPDATE resources SET version = 2');
    await tx.insert(rows('resources', ['b']));
    await tx.flush();
    await tx.flush();
    expect(calls).toEqual(['insert resources a', 'UPDATE resources SET version = 2', 'insert resources b']);
  });
});

describe('PostgreSQL inserts', () => {
  test('several tables go in one statement, their values in the order of the placeholders', () => {
    const [statement, ...more] = insertStatements([
      { table: 'resources', columns: ['type', 'id'], rows: [['Patient', 'a'], ['Patient', 'b']] },
      { table: 'sp_token', columns: ['type', 'id', 'code'], rows: [['Patient', 'a', 'x']] },
    ]);
    expect(more).toEqual([]);
    expect(statement.sql).toBe('WITH i0 AS (INSERT INTO resources (type, id) VALUES (?, ?), (?, ?)) INSERT INTO sp_token (type, id, code) VALUES (?, ?, ?)');
    expect(statement.params).toEqual(['Patient', 'a', 'Patient', 'b', 'Patient', 'a', 'x']);
  });

  test('beyond 20,000 values the rows are split over statements, none lost or repeated', () => {
    const many = Array.from({ length: 12_000 }, (_, i) => ['Patient', `p${i}`]);
    const statements = insertStatements([
      { table: 'resources', columns: ['type', 'id'], rows: many },
      { table: 'sp_token', columns: ['type', 'id', 'code'], rows: [['Patient', 'p0', 'x']] },
    ]);
    expect(statements.every((s) => s.params.length <= 20_000)).toBe(true);
    expect(statements.every((s) => (s.sql.match(/\?/g) ?? []).length === s.params.length)).toBe(true);
    const ids = statements.flatMap((s) => s.params).filter((v) => typeof v === 'string' && v.startsWith('p'));
    expect(ids).toEqual([...many.map((r) => r[1]), 'p0']);
  });
});
