import type Redis from 'ioredis';
import { TEST_AMQP_URL, sleep } from '@cprh/testkit';
import { Dueslag } from './backlog';
import type { Envelope } from './envelopes';
import { summarize, type LatencySummary } from './percentiles';
import {
  pipelineEnv,
  runNames,
  spawnPoller,
  spawnWorker,
  type MeasuredProcess,
  type RunNames,
} from './pipeline-processes';
import { startBenchRedis } from './private-redis';

/** Looks at a finished steady run's Redis before it goes (steady-breakdown.ts). */
export type SteadyInspect = (redis: Redis, names: RunNames, sentAt: Map<string, number>) => Promise<void>;

export interface SteadyLoadResult extends LatencySummary {
  rate: number;
  seconds: number;
  /** The rate the bench actually published at. */
  publishedPerSecond: number;
  /** Messages sent at the same rate before the measured ones (not counted), and their worst latency. */
  warmup: number;
  warmupMax: number;
  /** Most messages seen waiting at once on the dueslag (poller behind) and in the inbox (worker behind). */
  peakDueslag: number;
  peakInbox: number;
  /**
   * AOF rewrites while the measured messages went through: each forks a child that writes the whole
   * dataset, on the cores the pipeline uses (the slowest 1% gathers in such seconds).
   */
  aofRewrites: number;
}

/**
 * Latency under steady load: the pipeline (one poller, one worker, AOF everysec) runs idle, then
 * this process publishes `rate` messages a second for `seconds`, each timed as it is sent. The
 * latency of a message is its stream entry's id time (Redis's clock, same machine) minus that.
 * The first `warmup` envelopes go at the same rate before the measured ones and are reported
 * apart: a freshly started process compiles its hot path in its first second (p50 ~100 ms there,
 * ~25 ms after), which says nothing about the steady state the target is about.
 */
export async function steadyLoad(
  envelopes: readonly Envelope[],
  rate: number,
  warmup: number,
  inspect?: SteadyInspect,
): Promise<SteadyLoadResult> {
  const names = runNames();
  const redis = await startBenchRedis('everysec');
  const dueslag = await Dueslag.open(TEST_AMQP_URL, names.dueslag);
  const procs: MeasuredProcess[] = [];
  try {
    const env = pipelineEnv(names, redis.url);
    procs.push(spawnWorker('real', env, 0));
    await procs[0]?.proc.waitForLine(/worker ready/, 60000);
    const poller = spawnPoller(env);
    procs.push(poller);
    await poller.proc.waitForLine(/"msg":"consuming"/, 60000);
    const warm = envelopes.slice(0, warmup);
    const warmSent = await publishAtRate(dueslag, warm, rate);
    const warmLatencies = await collectLatencies(redis.client, names.stream, warmSent, warmSent.size);
    const measured = envelopes.slice(warmup);
    const rewrites0 = await redis.aofRewrites();
    const peaks = { dueslag: 0, inbox: 0 };
    const sampler = setInterval(() => {
      void Promise.all([dueslag.depth(), redis.client.llen(`${names.prefix}:inbox:wait`)]).then(
        ([d, i]) => {
          peaks.dueslag = Math.max(peaks.dueslag, d);
          peaks.inbox = Math.max(peaks.inbox, i);
        },
        () => undefined,
      );
    }, 250);
    const sentAt = await publishAtRate(dueslag, measured, rate).finally(() => clearInterval(sampler));
    const published =
      measured.length / ((Math.max(...sentAt.values()) - Math.min(...sentAt.values())) / 1000);
    const latencies = await collectLatencies(redis.client, names.stream, sentAt, warm.length + sentAt.size);
    const aofRewrites = (await redis.aofRewrites()) - rewrites0;
    if (inspect) await inspect(redis.client, names, sentAt);
    return {
      ...summarize(latencies),
      rate,
      seconds: measured.length / rate,
      warmup: warm.length,
      warmupMax: Math.max(0, ...warmLatencies),
      publishedPerSecond: published,
      peakDueslag: peaks.dueslag,
      peakInbox: peaks.inbox,
      aofRewrites,
    };
  } finally {
    await Promise.all(procs.map((p) => p.proc.stop('SIGTERM').catch(() => undefined)));
    await dueslag.delete();
    await redis.stop();
  }
}

/** Sends on a 10 ms clock, catching up to `rate × elapsed`; returns each BeskedId's send time. */
async function publishAtRate(
  dueslag: Dueslag,
  envelopes: readonly Envelope[],
  rate: number,
): Promise<Map<string, number>> {
  const sentAt = new Map<string, number>();
  const start = Date.now();
  let i = 0;
  while (i < envelopes.length) {
    const due = Math.min(envelopes.length, Math.floor(((Date.now() - start) * rate) / 1000) + 1);
    for (; i < due; i++) {
      const e = envelopes[i] as Envelope;
      sentAt.set(e.beskedId, Date.now());
      if (!dueslag.send(e)) await dueslag.drained();
    }
    await sleep(10);
  }
  await dueslag.confirms();
  return sentAt;
}

async function collectLatencies(
  redis: Redis,
  stream: string,
  sentAt: Map<string, number>,
  total: number,
): Promise<number[]> {
  const deadline = Date.now() + 120000;
  while ((await redis.xlen(stream)) < total) {
    if (Date.now() > deadline) throw new Error('steady load: not every message reached the stream');
    await sleep(100);
  }
  const out: number[] = [];
  let from = '-';
  for (;;) {
    const page = await redis.xrange(stream, from, '+', 'COUNT', 1000);
    for (const [id, fields] of page) {
      const beskedId = fields[fields.indexOf('id') + 1] ?? '';
      const sent = sentAt.get(beskedId);
      if (sent !== undefined) out.push(Number(id.split('-')[0]) - sent);
    }
    if (page.length < 1000) break;
    from = `(${page[page.length - 1]?.[0] ?? ''}`;
  }
  return out;
}
