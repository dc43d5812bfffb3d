import { statementName, writeStatements } from '../../src/storage/postgres/postgres-driver.js';
import { deferringWrites, type RowBatch, type SqlClient, type WriteOp } from '../../src/storage/sql/sql-driver.js';

/** A client that records what it is asked to run. */
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
    async write(ops: WriteOp[]) {
      calls.push(`write ${ops.map((op) => ('sql' in op ? op.sql : `${op.table} ${op.rows.map((r) => r.join('-')).join(',')}`)).join('; ')}`);
    },
  };
  return { client, calls };
}

const rows = (table: string, ...values: string[][]): RowBatch => ({ table, columns: values[0]?.map((_, i) => `c${i}`) ?? ['id'], rows: values });

describe('writes deferred within a transaction', () => {
  test('are sent together, in order, before the next statement that reads; rows join their table batch', async () => {
    const { client, calls } = recordingClient();
    const tx = deferringWrites(client);
    await tx.write([rows('resources', ['a'])]);
    await tx.write([rows('sp_token', ['a', 'x'])]);
    await tx.write([rows('resources', ['b'], ['c']), rows('sp_string')]);
    expect(calls).toEqual([]);
    await tx.all('SELECT 1');
    expect(calls).toEqual(['write resources a,b,c; sp_token a-x', 'SELECT 1']);
  });

  test('rows never move before a statement queued ahead of them', async () => {
    const { client, calls } = recordingClient();
    const tx = deferringWrites(client);
    await tx.write([rows('sp_string', ['a'])]);
    await tx.write([{ sql: 'DELETE FROM sp_string WHERE id = b', params: [] }, rows('sp_string', ['b'])]);
    await tx.flush();
    expect(calls).toEqual(['write sp_string a; DELETE FROM sp_string WHERE id = b; sp_string b']);
  });

  test('flush sends what is left, once', async () => {
    const { client, calls } = recordingClient();
    const tx = deferringWrites(client);
    await tx.write([rows('resources', ['a'])]);
    await tx.run('UPDATE resources SET version = 2');
    await tx.write([rows('resources', ['b'])]);
    await tx.flush();
    await tx.flush();
    expect(calls).toEqual(['write resources a', 'UPDATE resources SET version = 2', 'write resources b']);
  });
});

describe('PostgreSQL writes', () => {
  test('an update and its inserts go in one statement, values in the order of the placeholders', () => {
    const [statement, ...more] = writeStatements([
      { sql: 'UPDATE resources SET version = ? WHERE id = ?', params: [2, 'a'] },
      { sql: 'DELETE FROM sp_token WHERE id = ?', params: ['a'] },
      { table: 'sp_token', columns: ['type', 'id', 'code'], rows: [['Patient', 'a', 'x'], ['Patient', 'a', 'y']] },
    ]);
    expect(more).toEqual([]);
    expect(statement.sql).toBe(
      'WITH w0 AS (UPDATE resources SET version = ? WHERE id = ?), w1 AS (DELETE FROM sp_token WHERE id = ?) ' +
        'INSERT INTO sp_token (type, id, code) VALUES (?, ?, ?), (?, ?, ?)',
    );
    expect(statement.params).toEqual([2, 'a', 'a', 'Patient', 'a', 'x', 'Patient', 'a', 'y']);
  });

  test('beyond 20,000 values the rows are split over statements, none lost or repeated', () => {
    const many = Array.from({ length: 12_000 }, (_, i) => ['Patient', `p${i}`]);
    const statements = writeStatements([
      { table: 'resources', columns: ['type', 'id'], rows: many },
      { table: 'sp_token', columns: ['type', 'id', 'code'], rows: [['Patient', 'p0', 'x']] },
    ]);
    expect(statements.length).toBeGreaterThan(1);
    expect(statements.every((s) => s.params.length <= 20_000)).toBe(true);
    expect(statements.every((s) => (s.sql.match(/\?/g) ?? []).length === s.params.length)).toBe(true);
    const ids = statements.flatMap((s) => s.params).filter((v) => typeof v === 'string' && v.startsWith('p'));
    expect(ids).toEqual([...many.map((r) => r[1]), 'p0']);
  });

  test('the write of one resource is prepared once and reused; large batch writes, DDL and transaction control are not', () => {
    const [create] = writeStatements([
      { table: 'resources', columns: ['type', 'id'], rows: [['Patient', 'a']] },
      { table: 'sp_token', columns: ['type', 'id', 'code'], rows: [['Patient', 'a', 'x']] },
    ]);
    const name = statementName(create.sql);
    expect(name).toBeDefined();
    expect(statementName(create.sql)).toBe(name);
    const [batch] = writeStatements([{ table: 'sp_token', columns: ['type', 'id', 'code'], rows: Array.from({ length: 400 }, (_, i) => ['Patient', `b${i}`, 'x']) }]);
    expect(statementName(batch.sql)).toBeUndefined();
    // A long search is still a frequent shape worth preparing.
    expect(statementName(`SELECT id FROM resources WHERE id IN (${Array(1500).fill('?').join(', ')})`)).toBeDefined();
    expect(statementName('BEGIN')).toBeUndefined();
    expect(statementName('CREATE INDEX x ON resources (id)')).toBeUndefined();
  });
});
