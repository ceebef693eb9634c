// The log cleaner's worker thread (issue 14, item 3): on the real disk a large cleaning pass runs
// here instead of on the event loop that serves the connections. The worker reads the log's
// segment files, builds the offset map and writes each group's flushed `<base>.log.cleaned`
// (+ indexes), with the one cleaning implementation (log-cleaner.ts cleanFiles -> runCleaning ->
// compaction.ts); the main thread only swaps the cleaned segments in (DiskPartitionLog.
// completeCleaning). Kafka runs its cleaner in log.cleaner.threads threads; we run one.
// The in-memory file system cannot be shared with a thread: there the stepped in-thread cleaner runs.
//
// This file is both sides: CleanerWorker (main thread) starts it lazily with itself as the script.

import { constants, setPriority } from 'node:os';
import { Worker, isMainThread, parentPort } from 'node:worker_threads';
import { nodeFs } from './fs/node-fs.js';
import { cleanFiles, type CleanRequest, type CleanResult } from './log-cleaner.js';

interface Reply {
  id: number;
  result?: CleanResult;
  error?: { message: string; code?: string };
}

/** The main thread's handle on the worker: one pass at a time in practice, several allowed. */
export class CleanerWorker {
  private worker: Worker | null = null;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (r: CleanResult) => void; reject: (e: Error) => void }>();

  run(request: CleanRequest): Promise<CleanResult> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref(); // a pass in flight keeps the process up; an idle worker does not
      worker.postMessage({ id, request });
    });
  }

  /** Stop the thread; passes in flight fail (their `.cleaned` files are left for start-up to remove). */
  stop(): void {
    const w = this.worker;
    this.worker = null;
    if (w) void w.terminate();
    this.failAll(new Error('the log cleaner stopped'));
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(new URL(import.meta.url));
    w.on('message', (reply: Reply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) w.unref();
      if (reply.result) p.resolve(reply.result);
      else p.reject(Object.assign(new Error(reply.error?.message ?? 'log cleaner worker failed'), { code: reply.error?.code }));
    });
    const gone = (err: Error) => {
      if (this.worker === w) this.worker = null;
      this.failAll(err);
    };
    w.on('error', gone);
    w.on('exit', (code) => gone(new Error(`the log cleaner worker exited (${code})`)));
    w.unref();
    this.worker = w;
    return w;
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  // Below the connections' thread: on Linux a thread's nice value is its own (setpriority on
  // the calling thread), so on a busy machine the scheduler serves the event loop first.
  try {
    setPriority(constants.priority.PRIORITY_BELOW_NORMAL);
  } catch {
    // Not permitted or not supported: the pass runs at the process's priority.
  }
  port.on('message', ({ id, request }: { id: number; request: CleanRequest }) => {
    let reply: Reply;
    try {
      reply = { id, result: cleanFiles(request, nodeFs) };
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      reply = { id, error: { message: e.message, code: e.code } };
    }
    port.postMessage(reply);
  });
}
