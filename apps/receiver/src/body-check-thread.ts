import { createHash } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { judgeBody, type BodyVerdict } from './body-verdict';

/**
 * The receiver's check thread: judges large bodies one at a time, off the event loop, and hashes
 * a refused one (its dead-letter id; 25 ms for 6 MB that the event loop does not spend).
 */
const maxBytes = (workerData as { maxBytes: number }).maxBytes;
parentPort?.on('message', (m: { id: number; body: Uint8Array }) => {
  const judged = judgeBody(m.body, maxBytes);
  const verdict: BodyVerdict =
    judged.kind === 'ok'
      ? judged
      : { ...judged, bodySha256: createHash('sha256').update(m.body).digest('hex') };
  parentPort?.postMessage({ id: m.id, verdict });
});
