import { join } from 'node:path';
import { appMain, spawnTs, TEST_AMQP_URL, uniqueName, type SpawnedProcess } from '@cprh/testkit';
import { cpuSplitOf, peakRssOf } from './process-stats';

/** Which worker entry runs: the real one, or ours with parse and dispatch replaced by a no-op. */
export type WorkerKind = 'real' | 'noop';

/** Names of one run's keys and queues (its own dueslag; the keys live on its private Redis). */
export interface RunNames {
  prefix: string;
  stream: string;
  dueslag: string;
}

export function runNames(): RunNames {
  const prefix = uniqueName('bench');
  return { prefix, stream: `${prefix}:events`, dueslag: `${prefix}-dueslag` };
}

export function pipelineEnv(names: RunNames, redisUrl: string): Record<string, string> {
  return {
    REDIS_URL: redisUrl,
    AMQP_URL: TEST_AMQP_URL,
    QUEUE_PREFIX: names.prefix,
    EVENTS_STREAM: names.stream,
    DUESLAG_QUEUE: names.dueslag,
    LOG_LEVEL: 'info',
  };
}

/** One process of the pipeline, with what it cost from `mark()` on. */
export class MeasuredProcess {
  private cpuAtMark = { userMs: 0, sysMs: 0 };

  constructor(
    readonly role: string,
    readonly proc: SpawnedProcess,
  ) {}

  get pid(): number {
    const pid = this.proc.child.pid;
    if (pid === undefined) throw new Error(`${this.role} has no pid`);
    return pid;
  }

  mark(): void {
    this.cpuAtMark = cpuSplitOf(this.pid);
  }

  /** User and system CPU ms used since `mark()`. */
  cpuSinceMark(): { userMs: number; sysMs: number } {
    const now = cpuSplitOf(this.pid);
    return { userMs: now.userMs - this.cpuAtMark.userMs, sysMs: now.sysMs - this.cpuAtMark.sysMs };
  }

  peakRss(): number {
    return peakRssOf(this.pid);
  }
}

const NOOP_WORKER = join(__dirname, 'noop-worker-main.ts');

export function spawnWorker(kind: WorkerKind, env: Record<string, string>, i: number): MeasuredProcess {
  const file = kind === 'real' ? appMain('worker') : NOOP_WORKER;
  return new MeasuredProcess(`worker ${i + 1}`, spawnTs(file, env, [], nodeArgs(`worker-${kind}-${i + 1}`)));
}

export function spawnPoller(env: Record<string, string>): MeasuredProcess {
  return new MeasuredProcess('poller', spawnTs(appMain('poller'), env, [], nodeArgs('poller')));
}

/**
 * BENCH_CPU_PROF=<dir>: each pipeline process writes a V8 CPU profile there when it exits.
 * BENCH_NODE_ARGS: more node flags for each pipeline process (e.g. `--trace-gc`, a heap size).
 */
function nodeArgs(name: string): string[] {
  const dir = process.env.BENCH_CPU_PROF;
  const extra = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
  return dir
    ? [...extra, '--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`]
    : extra;
}

/** The pino `time` of a log line (ms since epoch): when the process did it, not when we read it. */
export function lineTime(line: string): number {
  const t = (JSON.parse(line) as { time?: unknown }).time;
  if (typeof t !== 'number') throw new Error(`log line without time: ${line}`);
  return t;
}
