/** What the shared SQL repository needs of a database: statements with `?` placeholders, transactions, locks. */
export type SqlValue = string | number | null;

export interface SqlClient {
  all<T = Record<string, unknown>>(sql: string, params?: SqlValue[]): Promise<T[]>;
  run(sql: string, params?: SqlValue[]): Promise<number>;
}

export interface SqlDriver {
  readonly dialect: 'sqlite' | 'postgres';
  /** For reads outside a transaction: sees only committed data. */
  readonly reader: SqlClient;
  /** Runs `fn` in a transaction on one connection; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (client: SqlClient) => Promise<T>): Promise<T>;
  /** Takes a lock held until the end of the current transaction. */
  lock(client: SqlClient, key: string): Promise<void>;
  close(): Promise<void>;
}
