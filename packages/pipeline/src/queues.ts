import { Queue, type JobState } from 'bullmq';
import type { RedisConnection as Redis } from './redis-connections';
import type { Config } from '@cprh/config';
import type { DeadLetterData, InboxJobData } from './job-types';
import { rememberQueueTenant } from './tenant-label';

type PipelineConfig = Config['pipeline'];

/**
 * The inbox queue as producers see it. Job defaults carry the retry policy, so every producer
 * (poller, receiver, dlq replay) gives jobs the same attempts and backoff.
 */
export function createInboxQueue(connection: Redis, cfg: PipelineConfig): Queue<InboxJobData> {
  return new Queue<InboxJobData>(cfg.inboxQueue, {
    connection,
    prefix: cfg.queuePrefix,
    defaultJobOptions: {
      attempts: cfg.jobAttempts,
      backoff: { type: 'exponential', delay: cfg.jobBackoffMs },
    },
  });
}

/** The dead-letter queue: jobs wait there (no worker) until `cprh dlq replay` or `purge`. */
export function createDeadQueue(connection: Redis, cfg: PipelineConfig): Queue<DeadLetterData> {
  return rememberQueueTenant(
    new Queue<DeadLetterData>(cfg.deadQueue, { connection, prefix: cfg.queuePrefix }),
    cfg,
  );
}

/** Every state a BullMQ job can be in (the board's and metrics' `state` label values). */
export const JOB_STATES: readonly JobState[] = [
  'waiting',
  'active',
  'delayed',
  'prioritized',
  'waiting-children',
  'failed',
  'completed',
];

/** States a dead letter waits in: the dead queue has no worker, so its jobs stay there. */
export const DEAD_LETTER_STATES = [
  'waiting',
  'delayed',
  'prioritized',
] as const satisfies readonly JobState[];
