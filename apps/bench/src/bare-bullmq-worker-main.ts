/**
 * Bare BullMQ's consumer: a Worker with a no-op processor and our worker's options (concurrency,
 * completed jobs kept), none of our code. Env: REDIS_URL, QUEUE_PREFIX, INBOX_QUEUE.
 */
import { Worker } from 'bullmq';
import Redis from 'ioredis';

const connection = new Redis(process.env.REDIS_URL ?? '', { maxRetriesPerRequest: null });
const worker = new Worker(process.env.INBOX_QUEUE ?? 'inbox', async () => ({ ok: true }), {
  connection,
  prefix: process.env.QUEUE_PREFIX ?? '',
  concurrency: 16,
  removeOnComplete: { age: 7 * 24 * 3600 },
  removeOnFail: { age: 30 * 24 * 3600 },
});
void worker.waitUntilReady().then(() => process.stdout.write('bare worker ready\n'));
process.on('SIGTERM', () => {
  void worker.close().then(() => process.exit(0));
});
