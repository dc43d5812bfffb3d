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
  const types: Record<string, string> = { type: 'text', id: 'text', code: 'text', version: 'bigint', content: 'json' };
  const columnType = (_table: string, column: string) => types[column];

  test('an update and its inserts go in one statement, values in the order of the placeholders, rows as column arrays', () => {
    const [statement, ...more] = writeStatements(
      [
        { sql: 'UPDATE resources SET version = ? WHERE id = ?', params: [2, 'a'] },
        { sql: 'DELETE FROM sp_token WHERE id = ?', params: ['a'] },
        { table: 'sp_token', columns: ['type', 'id', 'code'], rows: [['Patient', 'a', 'x "quoted" \\'], ['Patient', 'a', null]] },
        { table: 'resources', columns: ['id', 'version'], rows: [] },
      ],
      columnType,
    );
    expect(more).toEqual([]);
    expect(statement.sql).toBe(
      'WITH w0 AS (UPDATE resources SET version = ? WHERE id = ?), w1 AS (DELETE FROM sp_token WHERE id = ?) ' +
        'INSERT INTO sp_token (type, id, code) SELECT x.c0::text, x.c1::text, x.c2::text ' +
        'FROM ROWS FROM (json_array_elements_text(?::json), json_array_elements_text(?::json), json_array_elements_text(?::json)) AS x(c0, c1, c2)',
    );
    expect(statement.params.slice(0, 3)).toEqual([2, 'a', 'a']);
    expect(statement.params.slice(3).map((p) => JSON.parse(p as string))).toEqual([['Patient', 'Patient'], ['a', 'a'], ['x "quoted" \\', null]]);
  });

  test('JSON values go in as the JSON text they are, a deleted version\'s NULL as JSON null', () => {
    const content = '{"resourceType":"Patient","name":[{"family":"O\'Brien \\"le grand\\""}]}';
    const [statement] = writeStatements([{ table: 'resource_versions', columns: ['id', 'content'], rows: [['a', content], ['b', null]] }], columnType);
    expect(statement.sql).toContain("CASE WHEN json_typeof(x.c1) = 'null' THEN NULL ELSE x.c1 END");
    expect(statement.sql).toContain('json_array_elements(?::json)');
    expect(statement.params[1]).toBe(`[${content},null]`);
  });

  test('the text of an insert does not depend on how many rows it carries, so one prepared statement serves all', () => {
    const insert = (count: number) =>
      writeStatements(
        [
          { table: 'resources', columns: ['type', 'id', 'version'], rows: Array.from({ length: count }, (_, i) => ['Patient', `p${i}`, 1]) },
          { table: 'sp_token', columns: ['type', 'id', 'code'], rows: [['Patient', 'p0', 'x']] },
        ],
        columnType,
      );
    const [one] = insert(1);
    const [many, ...more] = insert(12_000);
    expect(more).toEqual([]);
    expect(many.sql).toBe(one.sql);
    expect(one.sql).toContain('SELECT x.c0::text, x.c1::text, x.c2::bigint FROM ROWS FROM');
    expect(JSON.parse(many.params[1] as string)).toHaveLength(12_000);
    expect(statementName(many.sql)).toBeDefined();
    expect(statementName(many.sql)).toBe(statementName(one.sql));
  });

  test('beyond 20,000 values the statements are split, no value lost or repeated', () => {
    const updates = Array.from({ length: 7_000 }, (_, i) => ({ sql: 'UPDATE resources SET version = 2 WHERE type = ? AND id = ? AND version = ?', params: ['Patient', `p${i}`, 1] }));
    const statements = writeStatements(updates, columnType);
    expect(statements.length).toBeGreaterThan(1);
    expect(statements.every((s) => s.params.length <= 20_000)).toBe(true);
    expect(statements.every((s) => (s.sql.match(/\?/g) ?? []).length === s.params.length)).toBe(true);
    expect(statements.flatMap((s) => s.params).filter((v) => typeof v === 'string' && v.startsWith('p'))).toEqual(updates.map((u) => u.params[1]));
  });

  test('an insert into a column the table does not have is refused before anything is sent', () => {
    expect(() => writeStatements([{ table: 'sp_token', columns: ['type', 'nope'], rows: [['Patient', 'x']] }], columnType)).toThrow(/sp_token\.nope/);
  });

  test('long statements of many writes, DDL and transaction control are not prepared; long searches are', () => {
    const updates = Array.from({ length: 200 }, (_, i) => ({ sql: 'UPDATE resources SET version = 2 WHERE type = ? AND id = ?', params: ['Patient', `p${i}`] }));
    const [long] = writeStatements(updates, columnType);
    expect(statementName(long.sql)).toBeUndefined();
    // A long search is still a frequent shape worth preparing.
    expect(statementName(`SELECT id FROM resources WHERE id IN (${Array(1500).fill('?').join(', ')})`)).toBeDefined();
    expect(statementName('BEGIN')).toBeUndefined();
    expect(statementName('CREATE INDEX x ON resources (id)')).toBeUndefined();
  });
});
