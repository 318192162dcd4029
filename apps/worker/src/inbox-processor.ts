import { DelayedError, UnrecoverableError, type Job, type Queue } from 'bullmq';
import { BeskedError, beskedToCloudEvent, type CprCloudEvent, type EventCatalogue } from '@cprh/besked';
import { DEFAULT_TENANT_ID } from '@cprh/config';
import {
  inboxBytes,
  inboxJobId,
  inboxMessage,
  isBlocked,
  isDeadLetterCode,
  orderTicket,
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
  type InboxJobData,
  type InboxJobResult,
  type BlockingHead,
  type OrderGate,
  type OrderTicket,
} from '@cprh/pipeline';
import { type FaultInjector, type Logger, metrics } from '@cprh/runtime';
import type { CompletionHandoff } from './completion-handoff';
import { recordDispatch } from './dispatch-metrics';
import { TurnBudget } from './turn-budget';

export interface InboxProcessorOptions {
  dispatcher: EventDispatcher;
  /** The order per person: who waits for whom, releases, wake-ups. */
  order: OrderGate;
  /** ORDER_WAIT_MS: longest wait of a delayed job before it looks again. */
  orderWaitMs: number;
  dead: Queue<DeadLetterData>;
  faults: FaultInjector;
  catalogue: EventCatalogue;
  maxBytes: number;
  log: Logger;
  /** KOMBIT_MOVE_DEAD_TO_ERROR_QUEUE: where a pulled dead letter's move is requested. */
  errorQueueMoves?: Queue<ErrorQueueMoveJob>;
  /** The metrics' `tenant` label (tenantLabel: `default` without TENANTS_FILE). */
  tenant?: string;
  /** Shared with the InboxWorker: the job completed in its dispatch call (completion-handoff.ts). */
  handoff?: CompletionHandoff;
}

/** Jobs parsed in one turn of the event loop before the rest wait for the next (TurnBudget). */
const PARSES_PER_TURN = 16;

/** Inbox job data plus when it first failed (kept across transient retries). */
type JobData = InboxJobData & { firstFailedAt?: number };

/**
 * Processes one inbox job: parse and map (pure), then the exactly-once dispatch. A permanent error
 * (the message can never be parsed) is recorded as a dead letter and fails the job at once
 * (UnrecoverableError). Anything else is transient: BullMQ retries with exponential backoff, and
 * the last attempt records a dead letter too, so no message ends without a trace.
 */
export function createInboxProcessor(o: InboxProcessorOptions) {
  const tenant = o.tenant ?? DEFAULT_TENANT_ID;
  // 16 a turn since the job's completion rides on its dispatch: with AOF always each dispatch call
  // waits for an fsync, and 16 gave ~2,450/s where 4 gave ~1,970/s (everysec ~2,790 vs ~2,690/s,
  // within the noise; 8, 32 and 64 lower); see README "Issue 23", round 5.
  const budget = new TurnBudget(PARSES_PER_TURN);
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
    // After the dead letter exists: a crash in between leaves the job to run (and record) again.
    await releaseOrder(o.order, job, tenant);
  };

  return async function processInboxJob(job: Job<JobData>, token?: string): Promise<InboxJobResult> {
    // A finished job reduced to metadata that runs again: nothing to parse or dispatch.
    if (isStripped(job.data)) return rerunOfStripped(job.data);
    // The body string itself when it is ASCII (the usual envelope: its payload is Base64).
    const message = inboxMessage(job.data);
    if (message === undefined || typeof job.data.seq !== 'number') {
      const err = new PipelineError(
        'PIPELINE_JOB_INVALID',
        `inbox job ${job.id} has no message bytes or seq`,
      );
      await deadLetter(job, err.code, err.message);
      throw new UnrecoverableError(oneLine(err));
    }
    const person = job.data.person ?? inboxJobId(inboxBytes(job.data)!).person; // older jobs have none
    const ticket = orderTicket(job.id ?? '', job.data, person);
    // Before the parse (the costly part): a job whose person had an earlier event pending when it
    // was stored looks at the gate. Others cannot be held (see INBOX_ADD_LUA) but old jobs and
    // replays, which were not registered, look too. The dispatch script's gate decides in any case.
    if (job.data.behind === true || job.data.person === undefined || ticket.replay) {
      const head = await o.order.blockingHead(ticket);
      if (head !== undefined) await waitForTurn(job, token, ticket, head);
    }

    await budget.take();
    let event: CprCloudEvent;
    try {
      event = beskedToCloudEvent(message, {
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
      // TEST-ONLY (FAULT_INJECT=crash-before-dispatch): die with the job active, nothing written.
      o.faults.hit('crash-before-dispatch');
      const dispatch = () =>
        o.dispatcher.dispatch(event, ticket, routing, o.handoff?.request(job, token, event.id));
      let result = await dispatch();
      // The earlier event came in between the look above and the dispatch.
      while (isBlocked(result)) {
        await waitForTurn(job, token, ticket, result.blocked);
        result = await dispatch();
      }
      o.handoff?.settle(job, result.completion);
      // A completed dispatch woke the person's next job itself.
      if (result.next !== undefined && result.completion?.code !== 0) await o.order.wake(result.next);
      if (result.orderBroken) {
        o.log.warn({ jobId: job.id, eventId: event.id }, 'dispatched with orderbroken');
        metrics.orderBroken.inc({ tenant });
      }
      recordDispatch(event, result.written, job.data.receivedAt, tenant);
      // TEST-ONLY (FAULT_INJECT=crash-after-dispatch): die with the event written (and the job
      // completed, when the dispatch call did it) but before BullMQ's own bookkeeping.
      o.faults.hit('crash-after-dispatch');
      o.log.debug({ jobId: job.id, eventId: event.id, written: result.written }, 'dispatched');
      return { eventId: event.id, entryId: result.entryId, duplicate: !result.written };
    } catch (err) {
      if (err instanceof DelayedError) throw err;
      await onTransientFailure(job, err);
      throw err;
    }
  };

  /**
   * Returns when the job may go after all (the blocking head was gone or released); else moves
   * the job to delayed (no attempt used) and throws DelayedError. The head's worker wakes it when
   * the head is dispatched or released; ORDER_WAIT_MS bounds the wait when no one does.
   */
  async function waitForTurn(
    job: Job<JobData>,
    token: string | undefined,
    ticket: OrderTicket,
    first: BlockingHead,
  ): Promise<void> {
    let head: BlockingHead | undefined = first;
    while (head !== undefined) {
      const state = await o.order.checkHead(ticket, head);
      if (state === 'alive') break;
      if (state !== 'gone') {
        o.log.warn({ jobId: job.id, head: head.jobId, state }, 'order: head released');
        metrics.orderReleased.inc({
          reason: state === 'released-stale' ? 'stale_head' : 'failed_head',
          tenant,
        });
      }
      head = await o.order.blockingHead(ticket);
    }
    if (head === undefined) return;
    await job.moveToDelayed(Date.now() + o.orderWaitMs, token);
    metrics.orderWaits.inc({ tenant });
    // The head may have gone between the look and the move: then no one else wakes this job.
    if ((await o.order.blockingHead(ticket)) === undefined) await o.order.wake(ticket.jobId);
    throw new DelayedError();
  }

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

/** A dead-lettered job gives up its place in its person's order and wakes the next job. */
export async function releaseOrder(
  order: OrderGate,
  job: Job<InboxJobData>,
  tenant: string = DEFAULT_TENANT_ID,
): Promise<void> {
  if (typeof job.data.seq !== 'number') return; // never registered (PIPELINE_JOB_INVALID)
  const bytes = inboxBytes(job.data);
  const person = job.data.person ?? (bytes === undefined ? (job.id ?? '') : inboxJobId(bytes).person);
  const { next, released } = await order.release(orderTicket(job.id ?? '', job.data, person));
  if (released) metrics.orderReleased.inc({ reason: 'dead_letter', tenant });
  if (next !== undefined) await order.wake(next);
}
