import { UnrecoverableError, type Job, type Queue } from 'bullmq';
import { BeskedError, beskedToCloudEvent, type CprCloudEvent, type EventCatalogue } from '@cprh/besked';
import {
  inboxBytes,
  isDeadLetterCode,
  isStripped,
  oneLine,
  PipelineError,
  recordDeadLetter,
  rerunOfStripped,
  type DeadLetterCode,
  type DeadLetterData,
  type ErrorQueueMoveJob,
  type Failure,
  type EventDispatcher,
  type FaultInjector,
  type InboxJobData,
  type InboxJobResult,
  type Logger,
} from '@cprh/pipeline';
import { recordDispatch } from './dispatch-metrics';

export interface InboxProcessorOptions {
  dispatcher: EventDispatcher;
  dead: Queue<DeadLetterData>;
  faults: FaultInjector;
  catalogue: EventCatalogue;
  maxBytes: number;
  log: Logger;
  /** KOMBIT_MOVE_DEAD_TO_ERROR_QUEUE: where a pulled dead letter's move is requested. */
  errorQueueMoves?: Queue<ErrorQueueMoveJob>;
}

/** Inbox job data plus when it first failed (kept across transient retries). */
type JobData = InboxJobData & { firstFailedAt?: number };

/**
 * Processes one inbox job: parse and map (pure), then the exactly-once dispatch. A permanent error
 * (the message can never be parsed) is recorded as a dead letter and fails the job at once
 * (UnrecoverableError). Anything else is transient: BullMQ retries with exponential backoff, and
 * the last attempt records a dead letter too, so no message ends without a trace.
 */
export function createInboxProcessor(o: InboxProcessorOptions) {
  // Every dead letter of a job that ran goes through here (stalled ones: stalled-dead-letter.ts).
  const deadLetter = async (job: Job<JobData>, code: DeadLetterCode, message: string): Promise<void> => {
    const now = Date.now();
    const failure: Failure = {
      code,
      message,
      attempts: job.attemptsMade + 1,
      firstFailedAt: job.data.firstFailedAt ?? now,
      lastFailedAt: now,
    };
    await recordDeadLetter(o.dead, job.id ?? '', job.data, failure, o.log, o.errorQueueMoves);
  };

  return async function processInboxJob(job: Job<JobData>): Promise<InboxJobResult> {
    // A finished job reduced to metadata that runs again: nothing to parse or dispatch.
    if (isStripped(job.data)) return rerunOfStripped(job.data);
    const bytes = inboxBytes(job.data);
    if (bytes === undefined || typeof job.data.seq !== 'number') {
      const err = new PipelineError(
        'PIPELINE_JOB_INVALID',
        `inbox job ${job.id} has no message bytes or seq`,
      );
      await deadLetter(job, err.code, err.message);
      throw new UnrecoverableError(oneLine(err));
    }
    let event: CprCloudEvent;
    try {
      event = beskedToCloudEvent(bytes, {
        source: job.data.source,
        maxBytes: o.maxBytes,
        catalogue: o.catalogue,
      });
    } catch (err) {
      if (err instanceof BeskedError) {
        // If recording fails (Redis hiccup) this throws a transient error and the job retries.
        await deadLetter(job, err.code, err.message);
        throw new UnrecoverableError(`${err.code}: ${err.message}`);
      }
      throw err;
    }

    try {
      const routing = {
        eventNames: event.data.registreringer.flatMap((r) => (r.haendelse === null ? [] : [r.haendelse])),
        beskedtype: event.data.beskedtype,
      };
      const result = await o.dispatcher.dispatch(event, job.data.seq, routing);
      recordDispatch(event, result.written, job.data.receivedAt);
      // TEST-ONLY (FAULT_INJECT=crash-after-dispatch): die with the event written, job not completed.
      o.faults.hit('crash-after-dispatch');
      o.log.debug({ jobId: job.id, eventId: event.id, written: result.written }, 'dispatched');
      return { eventId: event.id, entryId: result.entryId, duplicate: !result.written };
    } catch (err) {
      await onTransientFailure(job, err);
      throw err;
    }
  };

  async function onTransientFailure(job: Job<JobData>, err: unknown): Promise<void> {
    const attempts = job.opts.attempts ?? 1;
    const code = (err as { code?: unknown }).code;
    o.log.warn(
      { jobId: job.id, attempt: job.attemptsMade + 1, of: attempts, err: oneLine(err) },
      'dispatch failed',
    );
    try {
      if (job.attemptsMade + 1 >= attempts) {
        // The error's own code when it is one of ours; its text keeps any other (e.g. ECONNRESET).
        const reason = isDeadLetterCode(code) ? code : 'WORKER_RETRIES_EXHAUSTED';
        await deadLetter(job, reason, `retries exhausted: ${oneLine(err)}`);
      } else if (job.data.firstFailedAt === undefined) {
        await job.updateData({ ...job.data, firstFailedAt: Date.now() });
      }
    } catch {
      // Redis is away too; the job stays in the inbox (failed or retried) with its reason.
    }
  }
}
