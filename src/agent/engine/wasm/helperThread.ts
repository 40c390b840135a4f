/**
 * The optional second thread of the wasm engine: a worker that instantiates the same module on the
 * same shared memory and runs its helperLoop (assembly/parallel.ts), taking half of each large
 * product. The worker's code is inline so that it needs no file of its own next to the bundles.
 */

import { Worker } from 'node:worker_threads';
import type { WasmMemory, WasmModule } from './engineModule';

// Runs in the worker. The instance's start function is deliberately not called: the main
// instance owns the heap, and the helper only ever runs kernels on buffers it is given.
const HELPER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { module, memory, mailbox } = workerData;
function run() {
  let instance;
  try {
    instance = new WebAssembly.Instance(module, {
      env: { memory, abort() { throw new Error('the helper thread aborted'); } },
    });
  } catch (error) {
    parentPort.postMessage({ type: 'failed', message: String(error && error.message || error) });
    return;
  }
  parentPort.postMessage({ type: 'ready' });
  try {
    instance.exports.helperLoop(mailbox);
  } catch (error) {
    instance.exports.helperFailed(mailbox);
    parentPort.postMessage({ type: 'failed', message: String(error && error.message || error) });
  }
}
run();
`;

export interface HelperThread {
  /** Why the helper stopped working, if it did. */
  readonly failure: string | null;
  /** Ends the worker; the engine must have detached it first (detachHelper posts its exit). */
  stop(): void;
}

/** Starts a helper on `mailbox` and resolves once it is waiting for work. */
export function startHelperThread(module: WasmModule, memory: WasmMemory, mailbox: number): Promise<HelperThread> {
  const worker = new Worker(HELPER_SOURCE, { eval: true, workerData: { module, memory, mailbox } });
  // Never keeps the process alive on its own.
  worker.unref();
  let failure: string | null = null;
  const helper: HelperThread = {
    get failure() {
      return failure;
    },
    stop() {
      void worker.terminate();
    },
  };
  return new Promise((resolve, reject) => {
    worker.on('message', (message: { type: string; message?: string }) => {
      if (message.type === 'ready') resolve(helper);
      else if (message.type === 'failed') {
        failure = message.message ?? 'unknown failure';
        reject(new Error(`the wasm engine's helper thread failed: ${failure}`));
      }
    });
    worker.on('error', (error) => {
      failure = error.message;
      reject(new Error(`the wasm engine's helper thread failed: ${failure}`));
    });
    worker.on('exit', (code) => {
      failure ??= code === 0 ? null : `exited with code ${code}`;
      reject(new Error(`the wasm engine's helper thread exited before it was ready (code ${code})`));
    });
  });
}
