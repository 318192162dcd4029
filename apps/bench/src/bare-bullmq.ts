import { join } from 'node:path';
import { Queue } from 'bullmq';
import { encodeBody, type InboxJobData } from '@cprh/pipeline';
import { spawnTs, sleep } from '@cprh/testkit';
import type { Envelope } from './envelopes';
import { runNames } from './pipeline-processes';
import { cpuMsOf } from './process-stats';
import { startBenchRedis } from './private-redis';

export interface BareBullmqResult {
  /** addBulk alone: the producer's rate while the worker drains. */
  addPerSecond: number;
  /** From the first add to the last completed job: both together. */
  seconds: number;
  perSecond: number;
  /** CPU ms per message of the producer (this process), the worker process and Redis. */
  cpuMsPerMessage: { producer: number; worker: number; redis: number };
}

/**
 * Bare BullMQ on a private Redis (AOF everysec): this process adds the envelopes as jobs of our
 * inbox shape (exact body bytes, source, AMQP meta, seq; BeskedId job ids; our retry options) with
 * addBulk in the poller's batch size, while a separate process runs a no-op Worker.
 */
export async function bareBullmq(envelopes: readonly Envelope[], batch = 100): Promise<BareBullmqResult> {
  const { prefix } = runNames();
  const redis = await startBenchRedis('everysec');
  const env = { REDIS_URL: redis.url, QUEUE_PREFIX: prefix, INBOX_QUEUE: 'inbox' };
  const worker = spawnTs(join(__dirname, 'bare-bullmq-worker-main.ts'), env);
  const queue = new Queue('inbox', {
    connection: redis.client,
    prefix,
    defaultJobOptions: { attempts: 8, backoff: { type: 'exponential', delay: 1000 } },
  });
  try {
    await worker.waitForLine(/bare worker ready/, 60000);
    const workerPid = worker.child.pid ?? 0;
    const redisPid = await redis.pid();
    const cpu0 = { producer: process.cpuUsage(), worker: cpuMsOf(workerPid), redis: cpuMsOf(redisPid) };
    const started = Date.now();
    for (let i = 0; i < envelopes.length; i += batch) {
      await queue.addBulk(
        envelopes.slice(i, i + batch).map((e, j) => ({
          name: 'besked',
          data: {
            body: encodeBody(e.body),
            source: 'urn:kombit:beskedfordeler:dueslag:bench',
            receivedAt: Date.now(),
            channel: { kind: 'amqp', messageId: e.messageId, redelivered: false },
            seq: i + j + 1,
          } satisfies InboxJobData,
          opts: { jobId: `b-${e.beskedId}` },
        })),
      );
    }
    const added = Date.now();
    const completed = `${prefix}:inbox:completed`;
    while ((await redis.client.zcard(completed)) < envelopes.length) await sleep(100);
    const top = await redis.client.zrevrange(completed, 0, 0, 'WITHSCORES');
    const seconds = (Number(top[1]) - started) / 1000;
    const producer = process.cpuUsage(cpu0.producer);
    const perMessage = (ms: number): number => ms / envelopes.length;
    return {
      cpuMsPerMessage: {
        producer: perMessage((producer.user + producer.system) / 1000),
        worker: perMessage(cpuMsOf(workerPid) - cpu0.worker),
        redis: perMessage(cpuMsOf(redisPid) - cpu0.redis),
      },
      addPerSecond: envelopes.length / ((added - started) / 1000),
      seconds,
      perSecond: envelopes.length / seconds,
    };
  } finally {
    await worker.stop('SIGTERM').catch(() => undefined);
    await queue.close().catch(() => undefined);
    await redis.stop();
  }
}
