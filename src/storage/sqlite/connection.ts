import Database from 'better-sqlite3';
import { insertStatement, type WriteOp } from '../sql/sql-driver.js';

export type Synchronous = 'NORMAL' | 'FULL';

/** A connection to the embedded store as every one of its connections is set up. */
export function openConnection(filename: string, synchronous: Synchronous): Database.Database {
  const db = new Database(filename);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  // The temporary B-trees of a search (its IN-lists, its ORDER BY) in memory: a temporary file for each cost a
  // search 20-30 us. They hold the matching ids, a few dozen bytes each.
  db.pragma('temp_store = MEMORY');
  return db;
}

/**
 * Runs writes: each statement, and rows through one prepared single-row INSERT per table (multi-row VALUES lists,
 * and rows sent as one JSON array read by json_each, measured slower per row).
 */
export function runWrites(statementFor: (sql: string) => Database.Statement, ops: WriteOp[]): void {
  for (const op of ops) {
    if ('sql' in op) {
      statementFor(op.sql).run(...op.params);
      continue;
    }
    if (!op.rows.length) continue;
    const statement = statementFor(insertStatement(op.table, op.columns, 1));
    for (const row of op.rows) statement.run(...row);
  }
}
