import { Worker, raw2NextJobData, type Job, type Processor, type WorkerOptions } from 'bullmq';
import {
  JobCompleter,
  completionKeys,
  type InboxJobData,
  type InboxJobResult,
  type RedisConnection,
  type StrippedJobData,
} from '@cprh/pipeline';

export interface InboxWorkerOptions extends WorkerOptions {
  connection: RedisConnection;
  /**
   * The data a completed job keeps (its metadata, the message's bytes removed), written in the
   * same call that completes it; undefined keeps the whole job (WORKER_KEEP_COMPLETED_BYTES_SECONDS).
   */
  finishedData?: (data: InboxJobData, result: InboxJobResult) => StrippedJobData | undefined;
  /** Called for each job whose bytes the completion removed (the metric). */
  onBytesRemoved?: () => void;
}

/**
 * BullMQ's Worker with the completions of one event-loop turn done in one script call
 * (JobCompleter): BullMQ completes one job per call, which was half of Redis's script time per
 * message. Everything else — taking jobs when idle, locks and their renewal, stalled checks,
 * failures, retries, delays — stays BullMQ's. A job the batch cannot complete (its lock lost, no
 * longer active) goes through BullMQ's own completion, which reports it as it always did.
 */
export class InboxWorker extends Worker<InboxJobData, InboxJobResult> {
  private readonly completer: JobCompleter | undefined;
  private readonly finishedData: InboxWorkerOptions['finishedData'];
  private readonly onBytesRemoved: InboxWorkerOptions['onBytesRemoved'];

  constructor(name: string, processor: Processor<InboxJobData, InboxJobResult>, opts: InboxWorkerOptions) {
    const { finishedData, onBytesRemoved, ...workerOpts } = opts;
    super(name, processor, workerOpts);
    this.finishedData = finishedData;
    this.onBytesRemoved = onBytesRemoved;
    const keepAge = keptAgeSeconds(opts.removeOnComplete);
    // Only the plain case is batched: anything else (rate limits, metrics, other removals) keeps
    // BullMQ's per-job completion, which knows them.
    if (keepAge !== undefined && !opts.limiter && !opts.metrics) {
      this.completer = new JobCompleter(opts.connection, completionKeys(this), {
        lockDurationMs: opts.lockDuration ?? 30000,
        keepCompletedMs: keepAge * 1000,
        ...(opts.name !== undefined ? { name: opts.name } : {}),
      });
    }
  }

  protected override async handleCompleted(
    result: InboxJobResult,
    job: Job<InboxJobData, InboxJobResult>,
    token: string,
    fetchNextCallback: () => boolean = () => true,
    span?: Parameters<Worker['handleCompleted']>[4],
  ): Promise<Job<InboxJobData, InboxJobResult>> {
    if (this.completer === undefined || this.closing || this.backend.closing || job.id === undefined) {
      return super.handleCompleted(result, job, token, fetchNextCallback, span);
    }
    const fetchNext = fetchNextCallback() && !(this.closing || this.paused);
    const kept = this.finishedData?.(job.data, result);
    const outcome = await this.completer.complete({
      jobId: job.id,
      token,
      returnvalue: JSON.stringify(result ?? null),
      data: kept === undefined ? undefined : JSON.stringify(kept),
      fetchNext,
    });
    // Not completed here (lock lost, no longer active): BullMQ's own completion says why.
    if (outcome.code !== 0) return super.handleCompleted(result, job, token, fetchNextCallback, span);
    job.returnvalue = result;
    job.finishedOn = outcome.finishedOn;
    job.attemptsMade += 1;
    // The job as Redis now holds it: listeners see that its bytes are gone.
    if (kept !== undefined) {
      job.data = kept as unknown as InboxJobData;
      this.onBytesRemoved?.();
    }
    this.emit('completed', job, result, 'active');
    if (outcome.next === undefined) return undefined as unknown as Job<InboxJobData, InboxJobResult>;
    const [jobData, jobId] = raw2NextJobData([outcome.next.raw, outcome.next.id, 0, 0]) as [
      Parameters<Worker['nextJobFromJobData']>[0],
      string,
    ];
    return this.nextJobFromJobData(jobData, jobId, token);
  }
}

/** The age of BullMQ's `removeOnComplete: { age }`, when that is all it says. */
function keptAgeSeconds(keep: WorkerOptions['removeOnComplete']): number | undefined {
  if (typeof keep !== 'object' || keep === null) return undefined;
  const { age, count, limit } = keep as { age?: number; count?: number; limit?: number };
  if (typeof age !== 'number' || age <= 0 || count !== undefined || limit !== undefined) return undefined;
  return age;
}
