import type { Job } from 'bullmq';
import type { CompletionOutcome, CompletionRequest, InboxJobData } from '@cprh/pipeline';

/** What the InboxWorker answers for a job that is about to be dispatched. */
export type CompletionSource = (
  job: Job<InboxJobData>,
  token: string,
  eventId: string,
) => CompletionRequest | undefined;

/**
 * Between the processor, which dispatches a job's event, and the InboxWorker, which finishes the
 * job in BullMQ: the worker says how a job is to be completed in its dispatch call (token, next
 * job, stripped data), the processor hands the outcome back, and the worker's handleCompleted
 * takes it instead of calling Redis again. One per inbox Worker.
 */
export class CompletionHandoff {
  private source: CompletionSource | undefined;
  private readonly outcomes = new WeakMap<Job, CompletionOutcome>();

  /** The InboxWorker's side; until it is attached no completion is asked for. */
  attach(source: CompletionSource): void {
    this.source = source;
  }

  request(job: Job<InboxJobData>, token: string | undefined, eventId: string): CompletionRequest | undefined {
    return token === undefined ? undefined : this.source?.(job, token, eventId);
  }

  settle(job: Job, outcome: CompletionOutcome | undefined): void {
    if (outcome !== undefined) this.outcomes.set(job, outcome);
  }

  /** The outcome of the job's completion in its dispatch call, once. */
  take(job: Job): CompletionOutcome | undefined {
    const o = this.outcomes.get(job);
    this.outcomes.delete(job);
    return o;
  }
}
