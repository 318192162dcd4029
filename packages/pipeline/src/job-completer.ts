import { createHash } from 'node:crypto';
import type { RedisConnection as Redis } from './redis-connections';
import { COMPLETE_JOBS_LUA } from './complete-jobs-script';

/** One finished job to complete (COMPLETE_JOBS_LUA). */
export interface Completion {
  jobId: string;
  /** The lock token the worker took the job with; the next job is taken with it too. */
  token: string;
  /** The processor's result, as BullMQ stores it (JSON). */
  returnvalue: string;
  /** The job's data from now on (its metadata, the bytes stripped), or undefined to keep it. */
  data: string | undefined;
  /** Take the next waiting job for this slot. */
  fetchNext: boolean;
}

export interface CompletionOutcome {
  /** 0 completed; else BullMQ's code (-1 no job, -2 no lock, -3 not active, -6 other token). */
  code: number;
  finishedOn: number;
  /** The next job for this slot: its hash as HGETALL gives it, and its id. */
  next: { raw: string[]; id: string } | undefined;
}

/** The keys of one BullMQ queue the script uses (Queue.keys / Worker.keys). */
export interface CompletionKeys {
  /** `<prefix>:<queue>:`, what a job id is appended to. */
  jobPrefix: string;
  active: string;
  stalled: string;
  completed: string;
  wait: string;
  delayed: string;
  prioritized: string;
  meta: string;
  marker: string;
}

/** A BullMQ queue's completion keys (Queue or Worker: both name keys by toKey). */
export function completionKeys(q: { toKey(type: string): string }): CompletionKeys {
  return {
    jobPrefix: q.toKey(''),
    active: q.toKey('active'),
    stalled: q.toKey('stalled'),
    completed: q.toKey('completed'),
    wait: q.toKey('wait'),
    delayed: q.toKey('delayed'),
    prioritized: q.toKey('prioritized'),
    meta: q.toKey('meta'),
    marker: q.toKey('marker'),
  };
}

export interface CompleterOptions {
  lockDurationMs: number;
  /** Completed jobs older than this are removed (BullMQ's removeOnComplete age); 0 keeps them. */
  keepCompletedMs: number;
  /** The worker's name (BullMQ's `processedBy`), if it has one. */
  name?: string;
}

interface Pending {
  c: Completion;
  resolve: (o: CompletionOutcome) => void;
  reject: (err: unknown) => void;
}

const SHA = createHash('sha1').update(COMPLETE_JOBS_LUA).digest('hex');

/** Most jobs in one call: bounds how long one call holds Redis. */
export const MAX_COMPLETION_BATCH = 128;

/**
 * Completes the inbox jobs finished in one turn of the event loop in one script call
 * (COMPLETE_JOBS_LUA), each caller getting its own job's outcome and next job. The jobs of one
 * turn finish together because their events were dispatched together (EventDispatcher).
 */
export class JobCompleter {
  private pending: Pending[] = [];
  private scheduled = false;

  constructor(
    private readonly redis: Redis,
    private readonly keys: CompletionKeys,
    private readonly opts: CompleterOptions,
  ) {}

  complete(c: Completion): Promise<CompletionOutcome> {
    return new Promise<CompletionOutcome>((resolve, reject) => {
      this.pending.push({ c, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        while (this.pending.length > 0) void this.send(this.pending.splice(0, MAX_COMPLETION_BATCH));
      });
    });
  }

  private async send(batch: Pending[]): Promise<void> {
    const k = this.keys;
    const now = Date.now();
    const args: string[] = [
      k.jobPrefix,
      String(now),
      String(this.opts.lockDurationMs),
      String(this.opts.keepCompletedMs),
      this.opts.name ?? '',
      String(batch.length),
    ];
    const keys = [k.active, k.stalled, k.completed, k.wait, k.delayed, k.prioritized, k.meta, k.marker];
    for (const { c } of batch) {
      const jobKey = `${k.jobPrefix}${c.jobId}`;
      keys.push(jobKey, `${jobKey}:lock`);
      args.push(c.jobId, c.token, c.returnvalue, c.data ?? '', c.fetchNext ? '1' : '0');
    }
    let reply: unknown;
    try {
      const redis = this.redis;
      reply = await redis.evalsha(SHA, keys.length, ...keys, ...args).catch((err: unknown) => {
        if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
        return redis.eval(COMPLETE_JOBS_LUA, keys.length, ...keys, ...args);
      });
    } catch (err) {
      for (const p of batch) p.reject(err);
      return;
    }
    const parts = Array.isArray(reply) ? (reply as unknown[]) : [];
    batch.forEach((p, i) => p.resolve(outcomeOf(parts[i], now)));
  }
}

/** One job's part of the reply; an unreadable part counts as "not completed" (-1). */
function outcomeOf(part: unknown, finishedOn: number): CompletionOutcome {
  if (!Array.isArray(part)) return { code: -1, finishedOn, next: undefined };
  const [code, raw, id] = part as [unknown, unknown, unknown];
  const next = Array.isArray(raw) && typeof id === 'string' ? { raw: raw as string[], id } : undefined;
  return { code: typeof code === 'number' ? code : -1, finishedOn, next };
}
