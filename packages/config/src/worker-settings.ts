import { z } from 'zod';
import { defineSection } from './define-section';
import { nonNegativeInt, positiveInt } from './common-types';

// The worker: inbox -> parse -> exactly-once dispatch to the stream(s), dead letters.
export const workerSettings = defineSection({
  env: {
    /**
     * Inbox jobs processed in parallel by one worker process. Each job waits on two Redis round
     * trips (dispatch, completion); 64 in flight keep the process busy where 16 left it idle a third
     * of the time on a backlog (`pnpm bench`).
     */
    WORKER_CONCURRENCY: positiveInt.max(1000, 'must be <= 1000').default(64),
    /**
     * With TENANTS_FILE, while two or more municipalities have work, each one's inbox takes this
     * many jobs in parallel instead of WORKER_CONCURRENCY: a quiet municipality's events then wait
     * behind 16 of a busy one's jobs, not 64 (fair-share.ts; `pnpm --filter @cprh/bench run fairness`).
     */
    WORKER_FAIR_CONCURRENCY: positiveInt.max(1000, 'must be <= 1000').default(16),
    /** BullMQ job lock; a crashed worker's job is taken over after about this long. */
    WORKER_LOCK_DURATION_MS: positiveInt.default(30000),
    /** How often BullMQ looks for jobs whose worker died. */
    WORKER_STALLED_INTERVAL_MS: positiveInt.default(30000),
    /** Times a job may be taken over after a worker died before BullMQ fails it. */
    WORKER_MAX_STALLED_COUNT: positiveInt.default(3),
    /**
     * Completed inbox jobs are kept this long (default 7 days) so a redelivered message with the
     * same BeskedId is dropped by the job-id check before it reaches the dispatch guard. They keep
     * metadata only (the message's bytes are removed once it is dispatched).
     */
    WORKER_KEEP_COMPLETED_SECONDS: positiveInt.default(7 * 24 * 3600),
    /** Failed inbox jobs (their copy lives in the dead-letter queue) are kept this long. */
    WORKER_KEEP_FAILED_SECONDS: positiveInt.default(30 * 24 * 3600),
    /**
     * A job whose person has an earlier event pending waits (delayed) at most this long before it
     * looks again; normally the earlier event's worker wakes it as soon as its turn came.
     */
    ORDER_WAIT_MS: positiveInt.default(1000),
    /**
     * A person's earliest pending event whose inbox job never appeared (the poller died between
     * registering and storing it, and no redelivery came) is given up after this long: the
     * person's later events go, flagged orderbroken.
     */
    ORDER_STALE_SECONDS: positiveInt.default(300),
    /**
     * DEBUGGING ONLY: completed inbox jobs keep the message's bytes (CPR numbers) this long before
     * they are reduced to metadata; 0 (the default) removes them as soon as the event is dispatched.
     */
    WORKER_KEEP_COMPLETED_BYTES_SECONDS: nonNegativeInt.default(0),
    /** How often the worker applies the retention limits (bytes of finished jobs, stream ages, dead letters). */
    RETENTION_INTERVAL_SECONDS: positiveInt.default(10),
    /** The partitions this worker process serves (`0,2`); unset = every partition (PARTITIONS). */
    WORKER_PARTITIONS: z
      .string()
      .default('')
      .transform((text, ctx): number[] | undefined => {
        const parts = text
          .split(',')
          .map((p) => p.trim())
          .filter((p) => p !== '');
        if (parts.length === 0) return undefined;
        if (parts.some((p) => !/^\d+$/.test(p))) {
          ctx.addIssue({ code: 'custom', message: `expected partition numbers like 0,2, got "${text}"` });
          return z.NEVER;
        }
        return [...new Set(parts.map(Number))].sort((a, b) => a - b);
      }),
  },
  build: (e) => ({
    concurrency: e.WORKER_CONCURRENCY,
    fairConcurrency: Math.min(e.WORKER_FAIR_CONCURRENCY, e.WORKER_CONCURRENCY),
    lockDurationMs: e.WORKER_LOCK_DURATION_MS,
    stalledIntervalMs: e.WORKER_STALLED_INTERVAL_MS,
    maxStalledCount: e.WORKER_MAX_STALLED_COUNT,
    keepCompletedSeconds: e.WORKER_KEEP_COMPLETED_SECONDS,
    keepFailedSeconds: e.WORKER_KEEP_FAILED_SECONDS,
    orderWaitMs: e.ORDER_WAIT_MS,
    orderStaleSeconds: e.ORDER_STALE_SECONDS,
    keepCompletedBytesSeconds: e.WORKER_KEEP_COMPLETED_BYTES_SECONDS,
    retentionIntervalSeconds: e.RETENTION_INTERVAL_SECONDS,
    partitions: e.WORKER_PARTITIONS,
  }),
});
