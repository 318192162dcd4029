import { TEST_AMQP_URL, sleep } from '@cprh/testkit';
import { Dueslag } from './backlog';
import { averageBytes, type Envelope } from './envelopes';
import { pipelineEnv, runNames, spawnPoller, type MeasuredProcess } from './pipeline-processes';
import { startBenchRedis } from './private-redis';

export interface WaitingFootprint {
  waiting: number;
  envelopeBytes: number;
  redisBytesPerWaiting: number;
  /** The same scaled to a 5 KB (5,120-byte) envelope, for the target. */
  redisBytesPer5kEvent: number;
}

/**
 * Redis memory per waiting event: the poller alone (no worker) moves the backlog into the inbox;
 * used_memory once every job waits, minus used_memory before the first one, per job.
 */
export async function waitingFootprint(envelopes: readonly Envelope[]): Promise<WaitingFootprint> {
  const names = runNames();
  const redis = await startBenchRedis('everysec');
  const dueslag = await Dueslag.open(TEST_AMQP_URL, names.dueslag);
  let poller: MeasuredProcess | undefined;
  try {
    await dueslag.preload(envelopes);
    const before = await redis.usedMemory();
    poller = spawnPoller(pipelineEnv(names, redis.url));
    const wait = `${names.prefix}:inbox:wait`;
    const deadline = Date.now() + 120000;
    while ((await redis.client.llen(wait)) < envelopes.length) {
      if (Date.now() > deadline) throw new Error('footprint: the inbox never held every message');
      await sleep(100);
    }
    const perWaiting = ((await redis.usedMemory()) - before) / envelopes.length;
    const size = averageBytes(envelopes);
    return {
      waiting: envelopes.length,
      envelopeBytes: size,
      redisBytesPerWaiting: perWaiting,
      redisBytesPer5kEvent: (perWaiting * 5120) / size,
    };
  } finally {
    await poller?.proc.stop('SIGTERM').catch(() => undefined);
    await dueslag.delete();
    await redis.stop();
  }
}
