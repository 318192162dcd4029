import type { Job, Queue } from 'bullmq';
import {
  queueTenant,
  recordDeadLetter,
  type DeadLetterData,
  type ErrorQueueMoveJob,
  type Failure,
  type InboxJobData,
  type OrderGate,
} from '@cprh/pipeline';
import { type Logger } from '@cprh/runtime';
import { releaseOrder } from './inbox-processor';

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
  order: OrderGate,
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
  // Then its person's later events may go (a worker dying in between: a waiting job finds the
  // failed head and releases it, see OrderGate.checkHead).
  recordDeadLetter(dead, jobId, job.data, failure, log, errorQueueMoves)
    .then(() => releaseOrder(order, job, queueTenant(dead)))
    .catch((e: unknown) => log.error({ jobId, err: (e as Error).message }, 'could not dead-letter'));
}
