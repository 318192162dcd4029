import type { Queue } from 'bullmq';
import type { DeadLetterCode } from './dead-letter-codes';
import { encodeBody, inboxBytes } from './inbox-body';
import { DEAD_JOB_NAME, type DeadLetterData, type InboxJobData } from './job-types';
import { metrics, type Logger } from '@cprh/runtime';
import { requestErrorQueueMove, type ErrorQueueMoveJob } from './error-queue-move-requests';
import { queueTenant } from './tenant-label';

/** Why and when a message failed. */
export interface Failure {
  code: DeadLetterCode;
  /** One line, without payload or CPR numbers. */
  message: string;
  attempts: number;
  /** Epoch ms of the first and the last failure. */
  firstFailedAt: number;
  lastFailedAt: number;
}

/**
 * The one way a message becomes a dead letter (worker: parse errors, exhausted retries, stalled
 * jobs; push receiver: a body it cannot parse, before it answers). Keeps the exact bytes, source,
 * channel and seq of `data` with the failure. The dead letter's id is `jobId` (the inbox job id,
 * or for a message that never was in the inbox the id it would have had, `inboxJobId(body)`), so
 * recording the same failure twice (a worker died after recording and the job ran again) keeps
 * one dead letter. Resolves once Redis has it; throws when Redis refused (the caller retries).
 * With `errorQueueMoves` (KOMBIT_MOVE_DEAD_TO_ERROR_QUEUE), a pulled message's move to KOMBIT's
 * error queue is requested after the dead letter is stored: a crash between the two leaves the
 * inbox job to run again, and both writes are idempotent.
 */
export async function recordDeadLetter(
  dead: Queue<DeadLetterData>,
  jobId: string,
  data: InboxJobData,
  failure: Failure,
  log?: Logger,
  errorQueueMoves?: Queue<ErrorQueueMoveJob>,
): Promise<void> {
  const letter: DeadLetterData = {
    ...inboxFields(data),
    ...failure,
    inboxJobId: jobId,
    originalJobId: data.replayOf ?? jobId,
  };
  await dead.add(DEAD_JOB_NAME, letter, { jobId });
  if (errorQueueMoves !== undefined && data.channel.kind === 'amqp') {
    await requestErrorQueueMove(errorQueueMoves, jobId);
  }
  metrics.deadLetters.inc({ code: failure.code, tenant: queueTenant(dead) });
  log?.warn({ jobId, code: failure.code, attempts: failure.attempts }, 'message dead-lettered');
}

/** The inbox fields of a job (exact bytes, source, channel, seq), without anything a job added. */
export function inboxFields(d: InboxJobData): InboxJobData {
  const bytes = inboxBytes(d);
  const out: InboxJobData = {
    body: bytes === undefined ? '' : encodeBody(bytes),
    source: d.source,
    receivedAt: d.receivedAt,
    channel: d.channel,
    seq: d.seq,
  };
  if (d.person !== undefined) out.person = d.person;
  if (d.replayOf !== undefined) out.replayOf = d.replayOf;
  return out;
}
