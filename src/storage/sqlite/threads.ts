import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread on a module of this folder (its compiled .js, or, from the TypeScript sources in tests and
 * development, its .ts loaded through tsx), with a listener for its messages. The thread does not hold the process
 * open: `ref()` it while the process must wait for it.
 */
export function startThread<M>(name: string, workerData: unknown, onMessage: (message: M) => void): Worker {
  const fromSources = import.meta.url.endsWith('.ts');
  const url = new URL(`./${name}.${fromSources ? 'ts' : 'js'}`, import.meta.url);
  const worker = fromSources
    ? new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); })`, { eval: true, workerData })
    : new Worker(url, { workerData });
  worker.on('message', onMessage);
  // After the listener: adding a 'message' listener references the worker's port again.
  worker.unref();
  return worker;
}
