/**
 * Copies the embedded store's write-ahead log into the database file (sqlite.org/wal.html#checkpointing), on a
 * thread and connection of its own: in the writer's COMMITs (SQLite's default) it was a third of a create's cost.
 * PASSIVE never waits for readers or the writer; what it cannot copy yet, the next round does.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';

const { filename } = workerData as { filename: string };
const db = new Database(filename);
db.pragma('journal_mode = WAL');
db.pragma('busy_timeout = 0'); // never wait: the next round will do

parentPort!.on('message', (message: 'checkpoint' | 'close') => {
  if (message === 'close') {
    db.close();
    parentPort!.close();
    return;
  }
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
    parentPort!.postMessage({ ok: true });
  } catch (err) {
    parentPort!.postMessage({ ok: false, message: (err as Error).message });
  }
});
