import type { Worker } from 'node:worker_threads';
import type { WriteOp } from '../sql/sql-driver.js';
import type { WriteThreadMessage, WriteThreadResult } from './background-writer-thread.js';
import type { Synchronous } from './connection.js';
import { startThread } from './threads.js';

/**
 * Commits transactions made only of writes on background-writer-thread.ts, one at a time, so that the rows they
 * insert cost the thread that serves requests nothing but handing them over. The audit trail's AuditEvents are such
 * transactions: about a dozen rows for each read, which on the main thread were half of a read's CPU time.
 */
export class BackgroundWriter {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;
  private running?: { resolve: () => void; reject: (err: Error) => void };
  private failure?: Error;

  constructor(filename: string, synchronous: Synchronous) {
    this.worker = startThread('background-writer-thread', { filename, synchronous }, (result: WriteThreadResult) => {
      const running = this.running;
      this.running = undefined;
      if (result.ok) running?.resolve();
      else running?.reject(Object.assign(new Error(result.message), { code: result.code }));
    });
    this.worker.on('error', (err) => this.fail(err));
    this.exited = new Promise((resolve) =>
      this.worker.once('exit', () => {
        this.fail(new Error('The background writer thread has exited'));
        resolve();
      }),
    );
  }

  /** Whether the thread can take transactions; one that failed is not used again. */
  get available(): boolean {
    return !this.failure;
  }

  /** Commits `ops` in one transaction on the thread. One at a time: the driver waits for each before the next. */
  commit(ops: WriteOp[]): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<void>((resolve, reject) => {
      this.running = { resolve, reject };
      // While a transaction is under way the thread must keep the process alive, or its caller would never hear.
      this.worker.ref();
      this.worker.postMessage({ ops } satisfies WriteThreadMessage);
    }).finally(() => this.worker.unref());
  }

  /** From now on the driver's own writer takes these transactions; one under way fails with the thread. */
  private fail(err: Error): void {
    this.failure ??= err;
    this.running?.reject(err);
    this.running = undefined;
  }

  async close(): Promise<void> {
    this.worker.ref();
    if (!this.failure) this.worker.postMessage('close' satisfies WriteThreadMessage);
    await this.exited;
  }
}
