import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SqlClient, SqlDriver, SqlValue } from '../sql/sql-driver.js';

export interface SqliteOptions {
  /** A file path, or ':memory:' (tests). */
  filename: string;
  /** PRAGMA synchronous: NORMAL survives a process crash in WAL mode; FULL also survives power loss. */
  synchronous?: 'NORMAL' | 'FULL';
}

/**
 * The embedded store. One writer connection, used by one transaction at a time (an async queue), and a separate
 * reader connection: in WAL mode readers see the last committed state and never wait for the writer.
 */
export class SqliteDriver implements SqlDriver {
  readonly dialect = 'sqlite' as const;
  readonly reader: SqlClient;
  private readonly writer: Database.Database;
  /** Prepared statements are cached per connection client, so the writer's client lives as long as the driver. */
  private readonly writerClient: SqlClient;
  private readonly readerDb: Database.Database;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: SqliteOptions) {
    const memory = options.filename === ':memory:';
    if (!memory) mkdirSync(dirname(options.filename), { recursive: true });
    this.writer = open(memory ? ':memory:' : options.filename, options.synchronous ?? 'NORMAL');
    // An in-memory database exists per connection, so tests read through the writer.
    this.readerDb = memory ? this.writer : open(options.filename, options.synchronous ?? 'NORMAL');
    this.writerClient = statementClient(this.writer);
    this.reader = memory ? this.writerClient : statementClient(this.readerDb);
  }

  transaction<T>(fn: (client: SqlClient) => Promise<T>): Promise<T> {
    const run = async () => {
      this.writer.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(this.writerClient);
        this.writer.exec('COMMIT');
        return result;
      } catch (err) {
        if (this.writer.inTransaction) this.writer.exec('ROLLBACK');
        throw err;
      }
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** The single writer already serializes transactions (BEGIN IMMEDIATE also excludes other processes). */
  async lock(): Promise<void> {}

  async close(): Promise<void> {
    await this.queue;
    if (this.readerDb !== this.writer) this.readerDb.close();
    this.writer.close();
  }
}

function open(filename: string, synchronous: string): Database.Database {
  const db = new Database(filename);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  return db;
}

function statementClient(db: Database.Database): SqlClient {
  const cache = new Map<string, Database.Statement>();
  const prepare = (sql: string) => {
    let statement = cache.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      if (cache.size > 2000) cache.clear();
      cache.set(sql, statement);
    }
    return statement;
  };
  return {
    async all<T>(sql: string, params: SqlValue[] = []): Promise<T[]> {
      const statement = prepare(sql);
      return (statement.reader ? statement.all(...params) : (statement.run(...params), [])) as T[];
    },
    async run(sql: string, params: SqlValue[] = []): Promise<number> {
      const statement = prepare(sql);
      if (statement.reader) return statement.all(...params).length;
      return statement.run(...params).changes;
    },
  };
}
