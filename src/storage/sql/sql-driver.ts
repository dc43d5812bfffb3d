/** What the shared SQL repository needs of a database: statements with `?` placeholders, transactions, locks. */
export type SqlValue = string | number | null;

/** Rows for one table. */
export interface RowBatch {
  table: string;
  columns: string[];
  rows: SqlValue[][];
}

export interface SqlClient {
  all<T = Record<string, unknown>>(sql: string, params?: SqlValue[]): Promise<T[]>;
  run(sql: string, params?: SqlValue[]): Promise<number>;
  /**
   * Inserts rows into several tables, in the form fastest for the database: SQLite runs one prepared single-row
   * statement per row (cheaper there than a multi-row VALUES list); PostgreSQL sends one statement for all the
   * tables (INSERTs in a WITH), one round trip, chunked only beyond thousands of values.
   */
  insert(batches: RowBatch[]): Promise<void>;
}

/**
 * A transaction's client that defers inserts: rows are gathered per table and sent together before the next other
 * statement and at commit (`flush`, or `take` to send them otherwise), so that a transaction creating many
 * resources sends one insert (one round trip on PostgreSQL) instead of several per resource. Every statement
 * still sees the earlier inserts.
 */
export function deferringInserts(client: SqlClient): SqlClient & { flush(): Promise<void>; take(): RowBatch[] } {
  const pending = new Map<string, RowBatch>();
  const take = () => {
    const batches = [...pending.values()];
    pending.clear();
    return batches;
  };
  const flush = async () => {
    const batches = take();
    if (batches.length) await client.insert(batches);
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
    async insert(batches: RowBatch[]): Promise<void> {
      for (const { table, columns, rows } of batches) {
        if (!rows.length) continue;
        const key = `${table}(${columns.join(',')})`;
        const batch = pending.get(key);
        if (batch) batch.rows.push(...rows);
        else pending.set(key, { table, columns, rows: [...rows] });
      }
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
  /** Runs `fn` in a transaction on one connection; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (client: SqlClient) => Promise<T>): Promise<T>;
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
