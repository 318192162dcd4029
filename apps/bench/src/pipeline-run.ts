import { TEST_AMQP_URL, sleep } from '@cprh/testkit';
import { Dueslag } from './backlog';
import type { Envelope } from './envelopes';
import {
  lineTime,
  pipelineEnv,
  runNames,
  spawnPoller,
  spawnWorker,
  type MeasuredProcess,
  type RunNames,
  type WorkerKind,
} from './pipeline-processes';
import { benchSettings } from './bench-settings';
import { startBenchRedis, type AofMode, type BenchRedis } from './private-redis';
import { ScriptTimer, type ScriptTime } from './script-times';

export interface ProcessFigures {
  role: string;
  /** User + system CPU per message, and the system (kernel: sockets, AOF) part of it. */
  cpuMsPerMessage: number;
  sysMsPerMessage?: number;
  peakRssBytes: number;
}

export interface PipelineRunResult {
  label: string;
  messages: number;
  workers: number;
  worker: WorkerKind;
  aof: AofMode;
  seconds: number;
  perSecond: number;
  processes: ProcessFigures[];
  /** Redis server time per message by command (µs; Lua scripts, BullMQ's and ours, are evalsha). */
  redisUsecPerMessage: Record<string, number>;
  /** The same commands' calls per message: script calls per event show here. */
  redisCallsPerMessage: Record<string, number>;
  /** Most jobs seen waiting in the inbox at once: near 0 = the poller is the limit, high = the workers. */
  inboxPeakWaiting: number;
  /** Redis memory after the run divided by the messages (stream entry, kept job, marker). */
  redisBytesPerMessage: number;
  /** AOF rewrites during the run: each forks a child that competes for the same cores. */
  aofRewrites: number;
  /** BENCH_SCRIPT_TIMES=1: Redis time per script and message (SLOWLOG: inflates Redis time). */
  redisScripts?: ScriptTime[];
}

export interface PipelineRunOptions {
  label: string;
  envelopes: readonly Envelope[];
  workers: number;
  worker: WorkerKind;
  aof: AofMode;
  stallMs: number;
}

/**
 * One throughput run: a private Redis with the AOF mode, the bench's own dueslag preloaded with
 * the envelopes, worker processes started and ready, then the poller. Time runs from the poller's
 * first consume to the last stream entry (real worker) or the last completed job (no-op worker).
 */
export async function runPipeline(o: PipelineRunOptions): Promise<PipelineRunResult> {
  const names = runNames();
  const redis = await startBenchRedis(o.aof);
  const dueslag = await Dueslag.open(TEST_AMQP_URL, names.dueslag);
  const procs: MeasuredProcess[] = [];
  try {
    await dueslag.preload(o.envelopes);
    const env = pipelineEnv(names, redis.url);
    for (let i = 0; i < o.workers; i++) procs.push(spawnWorker(o.worker, env, i));
    await Promise.all(procs.map((p) => p.proc.waitForLine(/worker ready/, 60000)));
    const poller = spawnPoller(env);
    procs.unshift(poller);
    const started = lineTime(await poller.proc.waitForLine(/"msg":"consuming"/, 60000));
    procs.forEach((p) => p.mark());
    const redisCpu0 = await redis.cpuMs();
    await redis.resetStats();
    const rewrites0 = await redis.aofRewrites();
    const scripts = benchSettings().scriptTimes ? new ScriptTimer(redis.client) : undefined;
    await scripts?.start();
    const { finished, peakWaiting } = await waitUntilDone(redis, names, o);
    const redisScripts = await scripts?.stop(o.envelopes.length, names.prefix);
    const aofRewrites = (await redis.aofRewrites()) - rewrites0;
    const n = o.envelopes.length;
    const seconds = (finished - started) / 1000;
    const redisCpu = (await redis.cpuMs()) - redisCpu0;
    const top = (await redis.commandTimes()).slice(0, 6);
    const redisUsecPerMessage = Object.fromEntries(top.map((c) => [c.command, c.usec / n]));
    const redisCallsPerMessage = Object.fromEntries(top.map((c) => [c.command, c.calls / n]));
    const processes: ProcessFigures[] = procs.map((p) => {
      const cpu = p.cpuSinceMark();
      return {
        role: p.role,
        cpuMsPerMessage: (cpu.userMs + cpu.sysMs) / n,
        sysMsPerMessage: cpu.sysMs / n,
        peakRssBytes: p.peakRss(),
      };
    });
    processes.push({ role: 'redis', cpuMsPerMessage: redisCpu / n, peakRssBytes: await redis.peakRss() });
    return {
      label: o.label,
      messages: n,
      workers: o.workers,
      worker: o.worker,
      aof: o.aof,
      seconds,
      perSecond: n / seconds,
      processes,
      redisUsecPerMessage,
      redisCallsPerMessage,
      inboxPeakWaiting: peakWaiting,
      redisBytesPerMessage: (await redis.usedMemory()) / n,
      aofRewrites,
      ...(redisScripts ? { redisScripts } : {}),
    };
  } finally {
    await Promise.all(procs.map((p) => p.proc.stop('SIGTERM').catch(() => undefined)));
    await dueslag.delete();
    await redis.stop();
  }
}

/** Polls until every message is through; returns when the last one was, by Redis's own clock. */
async function waitUntilDone(
  redis: BenchRedis,
  names: RunNames,
  o: PipelineRunOptions,
): Promise<{ finished: number; peakWaiting: number }> {
  const n = o.envelopes.length;
  const completed = `${names.prefix}:inbox:completed`;
  const count = (): Promise<number> =>
    o.worker === 'real' ? redis.client.xlen(names.stream) : redis.client.zcard(completed);
  let last = -1;
  let movedAt = Date.now();
  let peakWaiting = 0;
  for (;;) {
    const c = await count();
    peakWaiting = Math.max(peakWaiting, await redis.client.llen(`${names.prefix}:inbox:wait`));
    if (c >= n) break;
    if (c !== last) [last, movedAt] = [c, Date.now()];
    if (Date.now() - movedAt > o.stallMs) throw new Error(`${o.label}: stuck at ${c} of ${n}`);
    await sleep(100);
  }
  if (o.worker === 'real') {
    const [entry] = await redis.client.xrevrange(names.stream, '+', '-', 'COUNT', 1);
    return { finished: Number(entry?.[0].split('-')[0]), peakWaiting };
  }
  // BullMQ scores completed jobs by when they finished.
  const top = await redis.client.zrevrange(completed, 0, 0, 'WITHSCORES');
  return { finished: Number(top[1]), peakWaiting };
}
