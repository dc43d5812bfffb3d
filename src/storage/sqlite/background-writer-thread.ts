/**
 * Runs the embedded store's transactions of writes alone (SqliteDriver.writeTransaction, through BackgroundWriter) on
 * a thread and connection of their own. The driver hands this thread one transaction at a time, between its own, so
 * the two connections never contend for SQLite's write lock.
 */
import type Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import type { WriteOp } from '../sql/sql-driver.js';
import { openConnection, runWrites, type Synchronous } from './connection.js';

export type WriteThreadMessage = { ops: WriteOp[] } | 'close';
export type WriteThreadResult = { ok: true } | { ok: false; message: string; code?: string };

const { filename, synchronous } = workerData as { filename: string; synchronous: Synchronous };
const db = openConnection(filename, synchronous);
const statements = new Map<string, Database.Statement>();
const statementFor = (sql: string) => {
  let statement = statements.get(sql);
  if (!statement) statements.set(sql, (statement = db.prepare(sql)));
  return statement;
};

parentPort!.on('message', (message: WriteThreadMessage) => {
  if (message === 'close') {
    db.close();
    parentPort!.close();
    return;
  }
  let result: WriteThreadResult = { ok: true };
  try {
    db.exec('BEGIN IMMEDIATE');
    runWrites(statementFor, message.ops);
    db.exec('COMMIT');
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    result = { ok: false, message: (err as Error).message, code: (err as { code?: string }).code };
  }
  parentPort!.postMessage(result);
});
