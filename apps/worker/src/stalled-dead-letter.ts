import type { Job, Queue } from 'bullmq';
import {
  recordDeadLetter,
  type DeadLetterData,
  type ErrorQueueMoveJob,
  type Failure,
  type InboxJobData,
  type Logger,
} from '@cprh/pipeline';

/** BullMQ's reason for a job that stalled more than WORKER_MAX_STALLED_COUNT times. */
const STALLED = /stalled more than/i;

/**
 * A job whose workers kept dying (e.g. a message that crashes the process) is marked by BullMQ's
 * stalled checker and failed, without our processor, by the next worker that takes it: that
 * worker's own `failed` event. Recording it as a dead letter here needs no subscription to the
 * queue's event stream (which every worker would otherwise read for every job). The dead letter's
 * job id keeps it to one, whoever records it.
 */
export function deadLetterIfStalled(
  dead: Queue<DeadLetterData>,
  log: Logger,
  job: Job<InboxJobData> | undefined,
  err: Error,
  errorQueueMoves?: Queue<ErrorQueueMoveJob>,
): void {
  if (job?.id === undefined || !STALLED.test(err.message)) return;
  const jobId = job.id;
  const now = Date.now();
  const failure: Failure = {
    code: 'WORKER_STALLED',
    message: err.message,
    attempts: job.attemptsMade,
    firstFailedAt: job.processedOn ?? now,
    lastFailedAt: job.finishedOn ?? now,
  };
  recordDeadLetter(dead, jobId, job.data, failure, log, errorQueueMoves).catch((e: unknown) =>
    log.error({ jobId, err: (e as Error).message }, 'could not dead-letter'),
  );
}
