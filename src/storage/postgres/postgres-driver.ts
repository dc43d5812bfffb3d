import pg from 'pg';
import { deferringWrites, type NotificationListener, type SqlClient, type SqlDriver, type SqlValue, type Subscription, type WriteOp } from '../sql/sql-driver.js';
import { listenOn } from './pg-listener.js';

// BIGINT columns hold epoch milliseconds and versions, all well inside Number's exact range.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/**
 * The pool's type parsers: JSON arrives as the text PostgreSQL sends, not parsed, as SQLite's TEXT does. A resource
 * read or found is then sent as that text, parsed only if something reads it (StoredResource): callgrind, 1.15M →
 * 1.12M instructions per read.
 */
const JSON_TYPES = new Set<number>([pg.types.builtins.JSON, pg.types.builtins.JSONB]);
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    JSON_TYPES.has(oid) ? (value: string) => value : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export interface PostgresOptions {
  connectionString: string;
  maxConnections?: number;
}

/**
 * The scale-out store: a connection pool; any number of server processes may share the database. Locks are
 * transaction-scoped advisory locks, so conflicts are decided by the database, not by a process.
 */
export class PostgresDriver implements SqlDriver {
  readonly dialect = 'postgres' as const;
  readonly reader: SqlClient;
  private readonly pool: pg.Pool;
  private readonly subscriptions = new Set<Subscription>();
  private readonly columnTypes = new ColumnTypes();

  constructor(private readonly options: PostgresOptions) {
    this.pool = new pg.Pool({ connectionString: options.connectionString, max: options.maxConnections ?? 10, types });
    // An idle client that loses its connection emits here; without a listener that would crash the process.
    this.pool.on('error', (err) => console.error(JSON.stringify({ level: 'error', event: 'pg-pool', message: err.message })));
    this.reader = queryClient(this.pool, this.columnTypes);
  }

  /**
   * A transaction that saves round trips: writes wait and go with the next statement that reads (deferringWrites),
   * and BEGIN waits for the first of those. A transaction made only of writes that fit one statement, such as a
   * create, is then that one statement, atomic by itself, without BEGIN or COMMIT. One that the database rolls back
   * to break a deadlock runs again.
   */
  async transaction<T>(fn: (client: SqlClient) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(fn);
      } catch (err) {
        if (!RETRIED.has((err as { code?: string }).code ?? '') || attempt === MAX_ATTEMPTS) throw err;
        // Two transactions locked the same resources in other orders (as transaction Bundles may): run it again, after
        // a pause that makes a second collision unlikely.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
      }
    }
  }

  private async attempt<T>(fn: (client: SqlClient) => Promise<T>): Promise<T> {
    const connection = await this.pool.connect();
    const direct = queryClient(connection, this.columnTypes);
    let begun = false;
    const begin = async () => {
      if (begun) return;
      begun = true;
      await connection.query('BEGIN');
    };
    const beginning: SqlClient = {
      all: async (sql, params) => (await begin(), direct.all(sql, params)),
      run: async (sql, params) => (await begin(), direct.run(sql, params)),
      write: async (ops) => (await begin(), direct.write(ops)),
    };
    const client = deferringWrites(beginning);
    try {
      const result = await fn(client);
      const statements = await this.columnTypes.statementsFor(client.take(), connection);
      if (begun || statements.length > 1) {
        await begin();
        await direct.send(statements);
        await connection.query('COMMIT');
      } else {
        await direct.send(statements);
      }
      return result;
    } catch (err) {
      if (begun) await connection.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      connection.release();
    }
  }

  writeTransaction(ops: WriteOp[]): Promise<void> {
    return this.transaction((client) => client.write(ops));
  }

  async lock(client: SqlClient, key: string): Promise<void> {
    await client.all('SELECT pg_advisory_xact_lock(hashtextextended(?, 0))', [key]);
  }

  /** NOTIFY reaches the listeners of every process over this database, this one included. */
  async notify(channel: string, payload: string): Promise<void> {
    await this.reader.all('SELECT pg_notify(?, ?)', [channel, payload]);
  }

  async listen(channel: string, listener: NotificationListener): Promise<Subscription> {
    const subscription = await listenOn(this.options.connectionString, channel, listener);
    this.subscriptions.add(subscription);
    return {
      get live() {
        return subscription.live;
      },
      close: async () => {
        this.subscriptions.delete(subscription);
        await subscription.close();
      },
    };
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    await this.pool.end();
  }
}

/** deadlock_detected and serialization_failure: the transaction did nothing, and may be run again as it was. */
const RETRIED = new Set(['40P01', '40001']);
const MAX_ATTEMPTS = 5;

/** Values per statement: well under PostgreSQL's 65,535 parameters. */
const MAX_WRITE_VALUES = 20_000;

interface Statement {
  sql: string;
  params: SqlValue[];
}

function queryClient(target: pg.Pool | pg.PoolClient, columnTypes: ColumnTypes): SqlClient & { send(statements: Statement[]): Promise<void> } {
  const query = (sql: string, values: SqlValue[]) => {
    if (SCHEMA_CHANGE.test(sql)) columnTypes.forget();
    return target.query({ text: numberPlaceholders(sql), values, name: statementName(sql) });
  };
  const send = async (statements: Statement[]) => {
    for (const statement of statements) await query(statement.sql, statement.params);
  };
  return {
    async all<T>(sql: string, params: SqlValue[] = []): Promise<T[]> {
      return (await query(sql, params)).rows as T[];
    },
    async run(sql: string, params: SqlValue[] = []): Promise<number> {
      return (await query(sql, params)).rowCount ?? 0;
    },
    async write(ops: WriteOp[]): Promise<void> {
      await send(await columnTypes.statementsFor(ops, target));
    },
    send,
  };
}

const SCHEMA_CHANGE = /^\s*(CREATE|ALTER|DROP)\b/i;

/**
 * The SQL types of the columns rows are inserted into, as the catalog has them (the migrations wrote the schema;
 * this reads it rather than repeating it), read when a table is first written and again after a schema change.
 */
class ColumnTypes {
  private readonly tables = new Map<string, Map<string, string>>();

  forget(): void {
    this.tables.clear();
  }

  /** The statements for `ops`, the types of the tables they insert into read first if need be through `target`. */
  async statementsFor(ops: WriteOp[], target: pg.Pool | pg.PoolClient): Promise<Statement[]> {
    const unknown = [...new Set(ops.flatMap((op) => ('sql' in op || this.tables.has(op.table) ? [] : [op.table])))];
    if (unknown.length) {
      const { rows } = await target.query<{ table: string; column: string; type: string }>(
        'SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type ' +
          'FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid ' +
          'WHERE c.relname = ANY($1) AND c.relnamespace = current_schema()::regnamespace AND a.attnum > 0 AND NOT a.attisdropped',
        [unknown],
      );
      for (const table of unknown) this.tables.set(table, new Map());
      for (const row of rows) this.tables.get(row.table)!.set(row.column, row.type);
    }
    return writeStatements(ops, (table, column) => this.tables.get(table)?.get(column));
  }
}

/**
 * The statements for `ops`: as few as the parameter limit allows, each covering several writes through
 * data-modifying WITH clauses (postgresql.org/docs/current/queries-with.html#QUERIES-WITH-MODIFYING), all of which
 * run, on the snapshot the statement starts with: a DELETE does not see rows inserted beside it. A create or the
 * writes of an update are then one round trip instead of one per table.
 *
 * Rows go in as one JSON array per column (`columnValues`), so that a statement's text does not depend on how many
 * rows it inserts: PostgreSQL prepares it once per connection and then only binds and executes it. Parsing and
 * planning a multi-row VALUES list anew took as long as executing it (the server's statement log, on the
 * AuditEvents that reads record).
 */
export function writeStatements(ops: WriteOp[], columnType: (table: string, column: string) => string | undefined): Statement[] {
  const statements: Statement[] = [];
  let parts: string[] = [];
  let params: SqlValue[] = [];
  const close = () => {
    if (!parts.length) return;
    const last = parts.pop()!;
    statements.push({ sql: parts.length ? `WITH ${parts.map((part, i) => `w${i} AS (${part})`).join(', ')} ${last}` : last, params });
    parts = [];
    params = [];
  };
  const add = (sql: string, values: SqlValue[]) => {
    if (params.length + values.length > MAX_WRITE_VALUES) close();
    parts.push(sql);
    params.push(...values);
  };
  for (const op of ops) {
    if ('sql' in op) {
      add(op.sql, op.params);
    } else if (op.rows.length) {
      const columns = op.columns.map((column, i) => {
        const type = columnType(op.table, column);
        if (type === undefined) throw new Error(`No column ${op.table}.${column}`);
        return columnValues(type, `c${i}`, op.rows.map((row) => row[i]));
      });
      add(
        `INSERT INTO ${op.table} (${op.columns.join(', ')}) SELECT ${columns.map((c) => c.select).join(', ')} ` +
          `FROM ROWS FROM (${columns.map((c) => c.source).join(', ')}) AS x(${columns.map((_, i) => `c${i}`).join(', ')})`,
        columns.map((c) => c.param),
      );
    }
  }
  close();
  return statements;
}

/**
 * A column's values as one parameter: a JSON array, which JSON.stringify writes natively (pg's array literals are
 * escaped value by value in JavaScript: 7% of a read's time, by CPU profile). JSON columns' values are JSON text
 * already, and go in as they are, without escaping; a JSON null stands for SQL NULL there.
 */
function columnValues(type: string, name: string, values: SqlValue[]): { param: string; source: string; select: string } {
  if (type === 'json') {
    return {
      param: `[${values.map((v) => (v === null ? 'null' : v)).join(',')}]`,
      source: 'json_array_elements(?::json)',
      select: `CASE WHEN json_typeof(x.${name}) = 'null' THEN NULL ELSE x.${name} END`,
    };
  }
  return { param: JSON.stringify(values), source: 'json_array_elements_text(?::json)', select: `x.${name}::${type}` };
}

/** Distinct statements prepared on each connection; beyond, statements (rare search shapes) are sent unnamed. */
const MAX_PREPARED = 500;
/**
 * Longer writes are sent unnamed: they are those of transactions of many updates or deletes, whose shapes rarely
 * repeat and whose parsing is shared by many resources; preparing them would spend the budget the frequent
 * statements need.
 */
const MAX_PREPARED_WRITE_LENGTH = 4000;
const statementNames = new Map<string, string>();

/**
 * A name for a server-side prepared statement (pg prepares a named statement once per connection and then only
 * binds and executes it), so that the frequent statements skip parsing and planning: reads, searches, and the
 * one statement (WITH …) of a create or update. Bounded, because each connection keeps what it prepared for its
 * lifetime.
 */
export function statementName(sql: string): string | undefined {
  const kind = /^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b/i.exec(sql)?.[1].toUpperCase();
  if (!kind) return undefined; // DDL and transaction control: never
  if (kind !== 'SELECT' && sql.length > MAX_PREPARED_WRITE_LENGTH) return undefined;
  let name = statementNames.get(sql);
  if (name === undefined && statementNames.size < MAX_PREPARED) statementNames.set(sql, (name = `s${statementNames.size}`));
  return name;
}

const numbered = new Map<string, string>();

/** Rewrites `?` placeholders as `$1, $2, …`, leaving quoted text alone. */
export function numberPlaceholders(sql: string): string {
  const cached = numbered.get(sql);
  if (cached !== undefined) return cached;
  let out = '';
  let n = 0;
  let quote: string | null = null;
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = null;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else if (ch === '?') {
      out += `$${++n}`;
    } else {
      out += ch;
    }
  }
  if (numbered.size > 5000) numbered.clear();
  numbered.set(sql, out);
  return out;
}
