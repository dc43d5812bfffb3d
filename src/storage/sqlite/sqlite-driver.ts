import type Database from 'better-sqlite3';
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { BackgroundWriter } from './background-writer.js';
import { Checkpointer } from './checkpointer.js';
import { openConnection, runWrites, type Synchronous } from './connection.js';
import { deferringWrites, type NotificationListener, type SqlClient, type SqlDriver, type SqlValue, type Subscription, type WriteOp } from '../sql/sql-driver.js';

interface PendingTransaction {
  fn: (client: SqlClient) => Promise<unknown>;
  /** For a transaction of writes alone (the same as `fn`): the background writer can take it. */
  ops?: WriteOp[];
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

/** Most transactions committed together; bounds how long the first of a batch waits for its acknowledgement. */
const MAX_BATCH = 64;

export interface SqliteOptions {
  /** A file path, or ':memory:' (tests). */
  filename: string;
  /** PRAGMA synchronous: NORMAL survives a process crash in WAL mode; FULL also survives power loss. */
  synchronous?: Synchronous;
}

/**
 * The embedded store. One writer connection, used by one transaction at a time, and a separate reader connection:
 * in WAL mode readers see the last committed state and never wait for the writer. A transaction of writes alone
 * (the audit trail's) may instead go to the background writer, a thread with a connection of its own; the queue
 * below hands SQLite's write lock to one of the two at a time.
 */
export class SqliteDriver implements SqlDriver {
  readonly dialect = 'sqlite' as const;
  readonly reader: SqlClient;
  private readonly writer: Database.Database;
  /** Prepared statements are cached per connection client, so the writer's client lives as long as the driver. */
  private readonly writerClient: SqlClient;
  private readonly readerDb: Database.Database;
  private readonly pending: PendingTransaction[] = [];
  private readonly optimizer: NodeJS.Timeout;
  private draining = false;
  private readonly checkpointer?: Checkpointer;
  private readonly background?: BackgroundWriter;
  /** One process owns an embedded database: notifications stay in it. */
  private readonly notifications = new EventEmitter().setMaxListeners(0);

  constructor(options: SqliteOptions) {
    const memory = options.filename === ':memory:';
    const synchronous = options.synchronous ?? 'NORMAL';
    if (!memory) mkdirSync(dirname(options.filename), { recursive: true });
    this.writer = openConnection(memory ? ':memory:' : options.filename, synchronous);
    // An in-memory database exists per connection, so tests read through the writer, and it writes everything.
    this.readerDb = memory ? this.writer : openConnection(options.filename, synchronous);
    this.writerClient = statementClient(this.writer);
    if (!memory) {
      // Checkpoints run on a thread of their own; the writer's own, in its COMMIT, only past 40 MB of log.
      this.checkpointer = new Checkpointer(options.filename);
      this.writer.pragma('wal_autocheckpoint = 10000');
      this.background = new BackgroundWriter(options.filename, synchronous);
    }
    refreshStatistics(this.writer, 0x10002);
    // Hourly, between batches: the writer connection must not be inside one.
    const refresh = () => (this.draining || this.pending.length ? setTimeout(refresh, 1000).unref() : refreshStatistics(this.writer));
    this.optimizer = setInterval(refresh, 3600_000);
    this.optimizer.unref();
    this.reader = memory ? this.writerClient : statementClient(this.readerDb);
  }

  /**
   * Group commit: transactions queue for the single writer; those waiting while one batch runs form the next batch,
   * each inside its own SAVEPOINT (so a failure rolls back only its own work) and all made durable by one COMMIT.
   * Nothing is acknowledged before that COMMIT, so callers see the same guarantees as one transaction each, at a
   * fraction of the commit cost under concurrent writes.
   */
  transaction<T>(fn: (client: SqlClient) => Promise<T>): Promise<T> {
    return this.enqueue<T>(fn);
  }

  writeTransaction(ops: WriteOp[]): Promise<void> {
    return this.enqueue<void>((client) => client.write(ops), ops);
  }

  private enqueue<T>(fn: (client: SqlClient) => Promise<unknown>, ops?: WriteOp[]): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ fn, ops, resolve: resolve as (value: unknown) => void, reject });
      // Start on the next turn of the event loop, so that the requests parsed in this turn join the same batch.
      if (this.pending.length === 1 && !this.draining) setImmediate(() => void this.drain());
    });
  }

  /**
   * Takes the queue in order. A transaction of writes alone that waits by itself goes to the background writer, so
   * that the thread serving requests goes on meanwhile; with others waiting it joins their batch instead, where it
   * shares their COMMIT and the writer's warm page cache (each connection rereads what the other's commits changed).
   */
  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.pending.length) {
        const [next] = this.pending;
        if (next.ops && this.pending.length === 1 && this.background?.available) await this.runInBackground(this.pending.shift()!, next.ops);
        else await this.runBatch(this.pending.splice(0, MAX_BATCH));
      }
    } finally {
      this.draining = false;
    }
  }

  private async runInBackground(item: PendingTransaction, ops: WriteOp[]): Promise<void> {
    try {
      await this.background!.commit(ops);
    } catch (err) {
      item.reject(err);
      return;
    }
    this.checkpointer?.committed();
    item.resolve(undefined);
  }

  private async runBatch(batch: PendingTransaction[]): Promise<void> {
    const outcomes: { item: PendingTransaction; ok: boolean; value: unknown }[] = [];
    try {
      this.writer.exec('BEGIN IMMEDIATE');
    } catch (err) {
      batch.forEach((item) => item.reject(err));
      return;
    }
    for (const item of batch) {
      this.writer.exec('SAVEPOINT unit');
      try {
        // Each table's rows inserted together: fewer switches between B-trees than one resource after another.
        const unit = deferringWrites(this.writerClient);
        const value = await item.fn(unit);
        await unit.flush();
        this.writer.exec('RELEASE unit');
        outcomes.push({ item, ok: true, value });
      } catch (err) {
        outcomes.push({ item, ok: false, value: err });
        try {
          this.writer.exec('ROLLBACK TO unit');
          this.writer.exec('RELEASE unit');
        } catch (fatal) {
          // SQLite already aborted the whole transaction (e.g. disk full): nothing of this batch was stored.
          if (this.writer.inTransaction) this.writer.exec('ROLLBACK');
          batch.forEach((pending) => pending.reject(pending === item ? err : fatal));
          return;
        }
      }
    }
    try {
      this.writer.exec('COMMIT');
    } catch (err) {
      if (this.writer.inTransaction) this.writer.exec('ROLLBACK');
      batch.forEach((item) => item.reject(err));
      return;
    }
    this.checkpointer?.committed();
    for (const { item, ok, value } of outcomes) (ok ? item.resolve : item.reject)(value);
  }

  /** The single writer already serializes transactions (BEGIN IMMEDIATE also excludes other processes). */
  async lock(): Promise<void> {}

  async notify(channel: string, payload: string): Promise<void> {
    this.notifications.emit(channel, payload);
  }

  async listen(channel: string, listener: NotificationListener): Promise<Subscription> {
    const message = (payload: string) => listener.message(payload);
    this.notifications.on(channel, message);
    return {
      live: true,
      close: async () => void this.notifications.off(channel, message),
    };
  }

  async close(): Promise<void> {
    clearInterval(this.optimizer);
    while (this.draining || this.pending.length) await new Promise((resolve) => setTimeout(resolve, 5));
    await this.background?.close();
    await this.checkpointer?.close();
    if (this.readerDb !== this.writer) this.readerDb.close();
    this.writer.close();
  }
}

/**
 * Keeps the query planner's statistics fresh (sqlite.org/lang_analyze.html#recommended_usage_pattern), without
 * STAT4's samples. better-sqlite3 builds SQLite with SQLITE_ENABLE_STAT4, and while samples exist every statement
 * that compares a bound value with an indexed column is planned anew at each run (sqlite.org/c3ref/prepare.html):
 * that made a read by id four times as costly in the database. The averages of sqlite_stat1 suffice for the plans
 * of this schema. Run between transactions: samples and averages change in one commit, which other connections
 * then reload.
 */
function refreshStatistics(db: Database.Database, mask?: number): void {
  db.transaction(() => {
    db.pragma(mask === undefined ? 'optimize' : `optimize = ${mask}`);
    if (db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_stat4'").get()) db.exec('DELETE FROM sqlite_stat4');
  })();
  db.exec('ANALYZE sqlite_schema'); // this connection reloads the statistics it just changed
}

/** A prepared statement, and for one that returns rows, the function that makes a row object of its values. */
interface Prepared {
  statement: Database.Statement;
  toRow?: RowMaker;
}

function statementClient(db: Database.Database): SqlClient {
  const cache = new Map<string, Prepared>();
  const prepare = (sql: string): Prepared => {
    let prepared = cache.get(sql);
    if (!prepared) {
      const statement = db.prepare(sql);
      prepared = statement.reader ? { statement: statement.raw(true), toRow: rowMakerFor(statement.columns().map((c) => c.name)) } : { statement };
      if (cache.size > 2000) cache.clear();
      cache.set(sql, prepared);
    }
    return prepared;
  };
  return {
    async all<T>(sql: string, params: SqlValue[] = []): Promise<T[]> {
      const { statement, toRow } = prepare(sql);
      if (!toRow) return (statement.run(...params), []);
      return (statement.all(...params) as unknown[][]).map(toRow) as T[];
    },
    async run(sql: string, params: SqlValue[] = []): Promise<number> {
      const { statement, toRow } = prepare(sql);
      if (toRow) return statement.all(...params).length;
      return statement.run(...params).changes;
    },
    async write(ops: WriteOp[]): Promise<void> {
      runWrites((sql) => prepare(sql).statement, ops);
    },
  };
}

type RowMaker = (values: unknown[]) => Record<string, unknown>;

/** One function per list of columns: the many statements of a search share the few lists their rows have. */
const rowMakers = new Map<string, RowMaker>();

/**
 * Row objects from a statement's values, by a function compiled from its column names: every row then has one
 * shape. better-sqlite3's own row objects are built a property at a time through V8's API, each store on its slow
 * path; by callgrind, a tenth of a search's instructions. As with better-sqlite3, of two columns of one name the
 * last wins. Column names come from the server's own SQL.
 */
function rowMakerFor(columns: string[]): RowMaker {
  const key = columns.join('\0');
  let maker = rowMakers.get(key);
  if (!maker) {
    const properties = columns.map((name, i) => `${JSON.stringify(name)}: values[${i}]`);
    maker = new Function('values', `return { ${properties.join(', ')} };`) as RowMaker;
    rowMakers.set(key, maker);
  }
  return maker;
}
