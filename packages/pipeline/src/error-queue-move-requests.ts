import { Queue } from 'bullmq';
import type { RedisConnection as Redis } from './redis-connections';
import type { Config } from '@cprh/config';
import type { DeadLetterData } from './job-types';

/*
 * KOMBIT_MOVE_DEAD_TO_ERROR_QUEUE: after a pulled message is dead-lettered here, Beskedfordeler is
 * asked (flytbeskedtilfejlkoe) to move it to its own error queue. The request is a job in a small
 * queue of its own, so a slow or absent BeskedfordelerService never holds up the inbox; the
 * worker process drains it (error-queue-move-worker.ts) and writes the outcome onto the dead letter
 * (`fejlkoe`). The queue's name is ERROR_QUEUE_MOVES_QUEUE, under QUEUE_PREFIX like the inbox and
 * dead queues.
 */

/** A move request: which dead letter (its job id in the dead queue). */
export interface ErrorQueueMoveJob {
  deadLetterId: string;
}

/**
 * Where the move stands, on the dead letter: `pending` (tried, will be retried), `moved`
 * (StatusKode 20), `skipped` (cannot be sent, e.g. not well-formed XML), `failed` (gave up).
 */
export interface ErrorQueueRecord {
  state: 'pending' | 'moved' | 'skipped' | 'failed';
  /** Tries made so far. */
  attempts: number;
  /** Epoch ms of the last change. */
  at: number;
  /** The last failure's code and one-line reason (no message content). */
  code?: string;
  message?: string;
}

/** A dead letter with the record of its move (absent until the first try). */
export type DeadLetterWithMove = DeadLetterData & { fejlkoe?: ErrorQueueRecord };

export function createErrorQueueMoves(
  connection: Redis,
  cfg: Config['pipeline'],
  retry: { attempts: number; backoffMs: number },
): Queue<ErrorQueueMoveJob> {
  return new Queue<ErrorQueueMoveJob>(cfg.errorQueueMovesQueue, {
    connection,
    prefix: cfg.queuePrefix,
    defaultJobOptions: {
      attempts: retry.attempts,
      backoff: { type: 'exponential', delay: retry.backoffMs },
      removeOnComplete: { count: 1000 },
      removeOnFail: { count: 1000 },
    },
  });
}

/**
 * Asks for the move of one dead letter; the job id is the dead letter's, so asking twice (the
 * worker died after recording and the job ran again) makes one request.
 */
export async function requestErrorQueueMove(
  moves: Queue<ErrorQueueMoveJob>,
  deadLetterId: string,
): Promise<void> {
  await moves.add('flyt', { deadLetterId }, { jobId: deadLetterId });
}

/** Writes the move's state onto the dead letter; false when the dead letter is gone (purged, replayed). */
export async function recordErrorQueueState(
  dead: Queue<DeadLetterData>,
  deadLetterId: string,
  record: ErrorQueueRecord,
): Promise<boolean> {
  const job = await dead.getJob(deadLetterId);
  if (!job) return false;
  await job.updateData({ ...job.data, fejlkoe: record } as DeadLetterWithMove);
  return true;
}
