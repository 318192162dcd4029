import type { Queue } from 'bullmq';
import { DEAD_LETTER_STATES, JOB_STATES } from '@cprh/pipeline';
import type { RedisConnection as Redis } from '@cprh/pipeline';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { withDeadline, type Readiness } from '@cprh/runtime';

/** One municipality's queues and streams (the one of the environment: `default`). */
export interface TenantQueues {
  /** The `tenant` label: a TENANTS_FILE id, or `default`. Bounded by the file. */
  readonly id: string;
  /** Each partition's inbox and dead queue (one each with PARTITIONS=1); counted per queue name. */
  readonly inbox: readonly Queue[];
  readonly dead: readonly Queue[];
  /** The events stream first, then any route streams (configured names, never message data). */
  readonly streams: readonly string[];
}

export interface QueueMetricsSources {
  readonly redis: Redis;
  readonly tenants: readonly TenantQueues[];
  /** A scrape never waits longer than this for Redis. */
  readonly timeoutMs: number;
  /** What /readyz answers; its verdict is `cprh_ready` at each scrape. */
  readonly readiness: () => Promise<Readiness>;
}

export interface QueueMetrics {
  readonly registry: Registry;
  /** Reads the counts from Redis now; on failure marks Redis down and drops stale values. */
  refresh(): Promise<void>;
}

/**
 * Prometheus metrics of the ops process. Labels are the tenant id, configured queue/stream names and
 * job states only: never ids or anything from a message, so no CPR number can reach a label.
 */
export function createQueueMetrics(src: QueueMetricsSources): QueueMetrics {
  // Own registry per board so several boards (tests) never clash on metric names.
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const jobs = new Gauge({
    name: 'cprh_queue_jobs',
    help: 'Jobs in a BullMQ queue by state, read from Redis at scrape time.',
    labelNames: ['queue', 'state', 'tenant'] as const,
    registers: [registry],
  });
  const deadLetters = new Gauge({
    name: 'cprh_dead_letters',
    help: 'Dead letters waiting in the dead-letter queue for replay or purge.',
    labelNames: ['queue', 'tenant'] as const,
    registers: [registry],
  });
  const streamLength = new Gauge({
    name: 'cprh_events_stream_length',
    help: 'Entries in the events stream and each route stream (XLEN).',
    labelNames: ['stream', 'tenant'] as const,
    registers: [registry],
  });
  const redisUp = new Gauge({
    name: 'cprh_redis_up',
    help: '1 when this scrape could read Redis, else 0.',
    registers: [registry],
  });

  const ready = new Gauge({
    name: 'cprh_ready',
    help: '1 when the board is ready (Redis answers, the inbox moves; /readyz says why not), else 0.',
    registers: [registry],
  });

  async function readTenant(t: TenantQueues) {
    const [inbox, dead, lengths] = await Promise.all([
      Promise.all(t.inbox.map((q) => q.getJobCounts(...JOB_STATES))).then(sumCounts),
      Promise.all(t.dead.map((q) => q.getJobCounts(...JOB_STATES))).then(sumCounts),
      Promise.all(t.streams.map((stream) => src.redis.xlen(stream))),
    ]);
    return { t, inbox, dead, lengths };
  }
  const read = () => Promise.all(src.tenants.map(readTenant));

  async function refresh(): Promise<void> {
    ready.set((await src.readiness()).ready ? 1 : 0);
    try {
      const all = await withDeadline(read(), src.timeoutMs, () => new Error('redis did not answer in time'));
      for (const r of all) {
        const tenant = r.t.id;
        for (const [queue, counts] of [
          [queueName(r.t.inbox), r.inbox],
          [queueName(r.t.dead), r.dead],
        ] as const) {
          for (const state of JOB_STATES) jobs.set({ queue, state, tenant }, counts[state] ?? 0);
        }
        deadLetters.set(
          { queue: queueName(r.t.dead), tenant },
          DEAD_LETTER_STATES.reduce((sum, s) => sum + (r.dead[s] ?? 0), 0),
        );
        r.t.streams.forEach((stream, i) => streamLength.set({ stream, tenant }, r.lengths[i] ?? 0));
      }
      redisUp.set(1);
    } catch {
      // Unknown is not zero: drop the values rather than report stale or false counts.
      jobs.reset();
      deadLetters.reset();
      streamLength.reset();
      redisUp.set(0);
    }
  }

  return { registry, refresh };
}

/** The partitions' queues share one name (`inbox`): the metrics keep that label, with the sum. */
function queueName(queues: readonly Queue[]): string {
  return queues[0]?.name ?? '';
}

function sumCounts(all: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const counts of all) for (const [k, v] of Object.entries(counts)) out[k] = (out[k] ?? 0) + v;
  return out;
}
