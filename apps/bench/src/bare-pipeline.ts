import { join } from 'node:path';
import { spawnTs, sleep, TEST_AMQP_URL } from '@cprh/testkit';
import { Dueslag } from './backlog';
import type { Envelope } from './envelopes';
import { runNames } from './pipeline-processes';
import { cpuMsOf } from './process-stats';
import { startBenchRedis } from './private-redis';

export interface BarePipelineResult {
  /** From the start of consuming to the last completed job. */
  seconds: number;
  perSecond: number;
  /** CPU ms per message of the producer and worker processes and of Redis. */
  cpuMsPerMessage: { producer: number; worker: number; redis: number };
}

/**
 * Issue 23's reference, the bare BullMQ pipeline: amqplib consumes the preloaded dueslag (prefetch
 * 200) -> one addBulk per 100 messages, then the ack -> a Worker (concurrency 64) whose processor
 * XADDs the raw bytes to a stream; two processes of no code of ours, on a private Redis (AOF
 * everysec). The end-to-end runs are compared with it.
 */
export async function barePipeline(envelopes: readonly Envelope[]): Promise<BarePipelineResult> {
  const { prefix, stream, dueslag: queue } = runNames();
  const dueslag = await Dueslag.open(TEST_AMQP_URL, queue);
  const redis = await startBenchRedis('everysec');
  const env = {
    REDIS_URL: redis.url,
    QUEUE_PREFIX: prefix,
    INBOX_QUEUE: 'inbox',
    AMQP_URL: TEST_AMQP_URL,
    DUESLAG_QUEUE: queue,
    BARE_XADD_STREAM: stream,
    // Our worker's default WORKER_CONCURRENCY: with a round trip per job it drains faster than 16.
    BARE_CONCURRENCY: '64',
  };
  const worker = spawnTs(join(__dirname, 'bare-bullmq-worker-main.ts'), env);
  const producer = spawnTs(join(__dirname, 'bare-pipeline-producer-main.ts'), env);
  try {
    await dueslag.preload(envelopes);
    await worker.waitForLine(/bare worker ready/, 60000);
    await producer.waitForLine(/bare producer ready/, 60000);
    const pids = {
      producer: producer.child.pid ?? 0,
      worker: worker.child.pid ?? 0,
      redis: await redis.pid(),
    };
    const cpu0 = {
      producer: cpuMsOf(pids.producer),
      worker: cpuMsOf(pids.worker),
      redis: cpuMsOf(pids.redis),
    };
    const started = Date.now();
    producer.child.kill('SIGUSR2');
    const completed = `${prefix}:inbox:completed`;
    let last = -1;
    let lastMoved = Date.now();
    for (;;) {
      const done = await redis.client.zcard(completed);
      if (done >= envelopes.length) break;
      if (done !== last) [last, lastMoved] = [done, Date.now()];
      else if (Date.now() - lastMoved > 60000) throw new Error(`bare pipeline stalled at ${done} jobs`);
      await sleep(50);
    }
    const top = await redis.client.zrevrange(completed, 0, 0, 'WITHSCORES');
    const seconds = (Number(top[1]) - started) / 1000;
    const entries = await redis.client.xlen(stream);
    if (entries !== envelopes.length)
      throw new Error(`bare pipeline wrote ${entries} stream entries, not ${envelopes.length}`);
    const perMessage = (ms: number): number => ms / envelopes.length;
    return {
      seconds,
      perSecond: envelopes.length / seconds,
      cpuMsPerMessage: {
        producer: perMessage(cpuMsOf(pids.producer) - cpu0.producer),
        worker: perMessage(cpuMsOf(pids.worker) - cpu0.worker),
        redis: perMessage(cpuMsOf(pids.redis) - cpu0.redis),
      },
    };
  } finally {
    await producer.stop('SIGTERM').catch(() => undefined);
    await worker.stop('SIGTERM').catch(() => undefined);
    await dueslag.delete();
    await redis.stop();
  }
}
