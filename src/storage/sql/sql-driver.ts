/** What the shared SQL repository needs of a database: statements with `?` placeholders, transactions, locks. */
export type SqlValue = string | number | null;

/** Rows for one table. */
export interface RowBatch {
  table: string;
  columns: string[];
  rows: SqlValue[][];
}

/** A write whose result nobody reads: a statement (UPDATE, DELETE), or rows to insert. */
export type WriteOp = { sql: string; params: SqlValue[] } | RowBatch;

export interface SqlClient {
  all<T = Record<string, unknown>>(sql: string, params?: SqlValue[]): Promise<T[]>;
  run(sql: string, params?: SqlValue[]): Promise<number>;
  /**
   * Runs writes in order, in the form fastest for the database: SQLite runs each statement, and one prepared
   * single-row statement per row (multi-row VALUES lists measured no faster in the server); PostgreSQL sends them
   * all as one statement (data-modifying WITH clauses), one round trip, split only beyond thousands of values.
   */
  write(ops: WriteOp[]): Promise<void>;
}

/**
 * A transaction's client that defers writes: they are gathered and sent together before the next statement whose
 * result is read and at commit (`flush`, or `take` to send them otherwise), so that a transaction creating or
 * updating many resources sends a few statements (one round trip each on PostgreSQL) instead of several per
 * resource. Every statement that reads still sees the earlier writes. Rows for a table join the batch queued for
 * it unless a statement was queued since.
 */
export function deferringWrites(client: SqlClient): SqlClient & { flush(): Promise<void>; take(): WriteOp[] } {
  let pending: WriteOp[] = [];
  const take = () => {
    const ops = pending;
    pending = [];
    return ops;
  };
  const flush = async () => {
    const ops = take();
    if (ops.length) await client.write(ops);
  };
  const queue = (op: WriteOp) => {
    if ('sql' in op) return void pending.push(op);
    if (!op.rows.length) return;
    for (let i = pending.length - 1; i >= 0; i--) {
      const queued = pending[i];
      if ('sql' in queued) break;
      if (queued.table === op.table && queued.columns.join() === op.columns.join()) return void queued.rows.push(...op.rows);
    }
    pending.push({ ...op, rows: [...op.rows] });
  };
  return {
    async all<T>(sql: string, params?: SqlValue[]): Promise<T[]> {
      await flush();
      return client.all<T>(sql, params);
    },
    async run(sql: string, params?: SqlValue[]): Promise<number> {
      await flush();
      return client.run(sql, params);
    },
    async write(ops: WriteOp[]): Promise<void> {
      ops.forEach(queue);
    },
    flush,
    take,
  };
}

/** `INSERT INTO table (columns) VALUES (?, …), …` for `rowCount` rows. */
export function insertStatement(table: string, columns: string[], rowCount: number): string {
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array.from({ length: rowCount }, () => tuple).join(', ')}`;
}

export interface SqlDriver {
  readonly dialect: 'sqlite' | 'postgres';
  /** For reads outside a transaction: sees only committed data. */
  readonly reader: SqlClient;
  /**
   * Runs `fn` in a transaction on one connection; commits when it resolves, rolls back when it throws. `fn` may run
   * again when the database aborts a try (a deadlock): it must do nothing outside the database.
   */
  transaction<T>(fn: (client: SqlClient) => Promise<T>): Promise<T>;
  /**
   * Commits writes that depend on nothing read, in a transaction of their own, where they cost the thread that
   * serves requests least: SQLite on a thread of its own; PostgreSQL, whose server does the work, as any other.
   */
  writeTransaction(ops: WriteOp[]): Promise<void>;
  /** Takes a lock held until the end of the current transaction. */
  lock(client: SqlClient, key: string): Promise<void>;
  /**
   * Tells every listener on `channel`, in this process and in any other over the same database, after the change it
   * announces has been committed. Delivery is best effort: a listener that may have missed messages is told so.
   */
  notify(channel: string, payload: string): Promise<void>;
  /** Subscribes to `channel`; see `Subscription` for what a listener must do when it may have missed messages. */
  listen(channel: string, listener: NotificationListener): Promise<Subscription>;
  close(): Promise<void>;
}

export interface NotificationListener {
  message(payload: string): void;
  /** Messages may have been lost (the connection that receives them dropped): forget whatever they could change. */
  gap(): void;
}

export interface Subscription {
  /** Whether messages are being received now; while false, nothing learnt earlier can be trusted to stay current. */
  readonly live: boolean;
  close(): Promise<void>;
}
