import { parentPort, workerData } from 'node:worker_threads';
import { judgeBody } from './body-verdict';

/** The receiver's check thread: judges large bodies one at a time, off the event loop. */
const maxBytes = (workerData as { maxBytes: number }).maxBytes;
parentPort?.on('message', (m: { id: number; body: Uint8Array }) => {
  parentPort?.postMessage({ id: m.id, verdict: judgeBody(m.body, maxBytes) });
});
