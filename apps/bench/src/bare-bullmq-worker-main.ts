/**
 * Bare BullMQ's consumer: a Worker with our worker's retention of finished jobs and none of our
 * code. Its processor does nothing, or with BARE_XADD_STREAM writes each job's raw bytes to that
 * stream (the bare pipeline's last step, bare-pipeline.ts). Concurrency BARE_CONCURRENCY (16).
 * Env: REDIS_URL, QUEUE_PREFIX, INBOX_QUEUE, BARE_XADD_STREAM, BARE_CONCURRENCY.
 */
import { Worker, type Job } from 'bullmq';
import Redis from 'ioredis';

const connection = new Redis(process.env.REDIS_URL ?? '', { maxRetriesPerRequest: null });
const stream = process.env.BARE_XADD_STREAM;
const processor =
  stream === undefined || stream === ''
    ? async () => ({ ok: true })
    : async (job: Job<{ body: string }>) => {
        // The body holds one character per byte: back to the exact bytes.
        await connection.xadd(stream, '*', 'raw', Buffer.from(job.data.body, 'latin1'));
        return { ok: true };
      };
const worker = new Worker(process.env.INBOX_QUEUE ?? 'inbox', processor, {
  connection,
  prefix: process.env.QUEUE_PREFIX ?? '',
  concurrency: Number(process.env.BARE_CONCURRENCY ?? 16),
  removeOnComplete: { age: 7 * 24 * 3600 },
  removeOnFail: { age: 30 * 24 * 3600 },
});
void worker.waitUntilReady().then(() => process.stdout.write('bare worker ready\n'));
process.on('SIGTERM', () => {
  void worker.close().then(() => process.exit(0));
});
