import type { Worker } from 'node:worker_threads';
import { startThread } from './threads.js';

/** How often, at most, the log is copied into the database file while writes go on. */
const INTERVAL_MS = 250;

/** Runs checkpoints on checkpoint-thread.ts, after commits, at most every INTERVAL_MS, one at a time. */
export class Checkpointer {
  private readonly worker: Worker;
  private readonly timer: NodeJS.Timeout;
  private readonly exited: Promise<void>;
  private dirty = false;
  private running?: Promise<void>;
  private finishRun?: () => void;

  constructor(filename: string) {
    this.worker = startThread('checkpoint-thread', { filename }, (result: { ok: boolean; message?: string }) => {
      if (!result.ok) console.error(JSON.stringify({ level: 'warn', event: 'sqlite-checkpoint-failed', message: result.message }));
      this.finishRun?.();
    });
    // Should the thread stop, the writer's own automatic checkpoint (a higher threshold) still bounds the log.
    this.worker.on('error', (err) => console.error(JSON.stringify({ level: 'error', event: 'sqlite-checkpointer', message: err.message })));
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    void this.exited.then(() => this.finishRun?.());
    this.timer = setInterval(() => this.run(), INTERVAL_MS);
    this.timer.unref();
  }

  /** Tells it that a commit added to the log. */
  committed(): void {
    this.dirty = true;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    // Unreferenced, the thread would not keep the process alive while close() waits for it: a process whose last
    // other handle had closed would exit before the database was closed.
    this.worker.ref();
    await this.running;
    this.worker.postMessage('close');
    await this.exited;
  }

  private run(): void {
    if (!this.dirty || this.running) return;
    this.dirty = false;
    this.running = new Promise<void>((resolve) => {
      this.finishRun = () => {
        this.running = undefined;
        this.finishRun = undefined;
        resolve();
      };
    });
    this.worker.postMessage('checkpoint');
  }
}
