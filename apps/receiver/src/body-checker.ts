import { Worker } from 'node:worker_threads';
import { dirname, join } from 'node:path';
import { judgeBody, type BodyVerdict } from './body-verdict';
import type { Logger } from '@cprh/runtime';

/** Bodies up to this size are judged on the event loop (a real message is ~6 KB: ~0.3 ms). */
export const INLINE_CHECK_MAX_BYTES = 64 * 1024;
/** Larger bodies waiting for the check thread at once; beyond it the answer is 503. */
export const MAX_QUEUED_CHECKS = 8;

interface Pending {
  resolve: (v: BodyVerdict) => void;
  reject: (err: unknown) => void;
}

/**
 * Judges push bodies. A small body is read right away; a larger one, whose reading can take
 * hundreds of milliseconds (a body of attributes costs ~40x one of text), goes to one check thread
 * so TLS handshakes and other requests keep being served. At most MAX_QUEUED_CHECKS wait there:
 * `check` resolves 'busy' beyond that (answered 503, Beskedfordeler sends again).
 */
export class BodyChecker {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly maxBytes: number,
    private readonly log: Logger,
  ) {
    this.thread(); // at start: the first large body does not wait for the thread to load
  }

  check(body: Uint8Array): Promise<BodyVerdict | 'busy'> {
    if (body.byteLength <= INLINE_CHECK_MAX_BYTES) return Promise.resolve(judgeBody(body, this.maxBytes));
    if (this.pending.size >= MAX_QUEUED_CHECKS) return Promise.resolve('busy');
    const worker = this.thread();
    const id = this.nextId++;
    return new Promise<BodyVerdict>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, body }); // copied: the body is still stored from this thread
    });
  }

  private thread(): Worker {
    if (this.worker !== undefined) return this.worker;
    // From source (tsx) the thread is the .ts beside this file; in a bundle (scripts/bundle-app.mjs)
    // it is dist/body-check-thread.js beside the bundle, which __filename names (__dirname is rewritten).
    const file = __filename.endsWith('.ts')
      ? join(__dirname, 'body-check-thread.ts')
      : join(dirname(__filename), 'body-check-thread.js');
    // Under tsx the thread loads TypeScript the same way (jest's transform does not reach threads).
    const execArgv = file.endsWith('.ts') ? ['--require', require.resolve('tsx/cjs')] : undefined;
    const worker = new Worker(file, { workerData: { maxBytes: this.maxBytes }, execArgv });
    worker.unref();
    worker.on('message', (m: { id: number; verdict: BodyVerdict }) => {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      p?.resolve(m.verdict);
    });
    const fail = (err: unknown): void => {
      // A thread that died takes its pending checks with it (answered 503); the next starts anew.
      if (this.worker === worker) this.worker = undefined;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    worker.on('error', (err) => {
      this.log.error({ err: err.message }, 'body check thread failed');
      fail(err);
    });
    worker.on('exit', (code) => {
      if (!this.closed) fail(new Error(`body check thread exited with ${code}`));
    });
    this.worker = worker;
    return worker;
  }

  async close(): Promise<void> {
    this.closed = true;
    const w = this.worker;
    this.worker = undefined;
    if (w !== undefined) await w.terminate();
  }
}
