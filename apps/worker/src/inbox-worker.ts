import { Worker, raw2NextJobData, type Job, type Processor, type WorkerOptions } from 'bullmq';
import {
  completionKeys,
  type CompletionRequest,
  type CompletionSettings,
  type InboxJobData,
  type InboxJobResult,
  type RedisConnection,
  type StrippedJobData,
} from '@cprh/pipeline';
import type { CompletionHandoff } from './completion-handoff';

export interface InboxWorkerOptions extends WorkerOptions {
  connection: RedisConnection;
  /**
   * The data a completed job keeps (its metadata, the message's bytes removed), written in the
   * same call that completes it; undefined keeps the whole job (WORKER_KEEP_COMPLETED_BYTES_SECONDS).
   */
  finishedData?: (data: InboxJobData, result: InboxJobResult) => StrippedJobData | undefined;
  /** Called for each job whose bytes the completion removed (the metric). */
  onBytesRemoved?: () => void;
  /** Shared with the processor: jobs completed in their dispatch call (completion-handoff.ts). */
  handoff?: CompletionHandoff;
}

/** How the kept data's JSON ends while its entry id is not known yet (completionRequest). */
const EMPTY_ENTRY_ID = ',"entryId":""}';

/**
 * BullMQ's Worker with each job completed in the script call that dispatches its event
 * (DISPATCH_LUA): BullMQ completes one job per call of its own, which was half of Redis's script
 * time per message and, with AOF `always`, a second fsync per job. Everything else — taking jobs
 * when idle, locks and their renewal, stalled checks, failures, retries, delays, and a job that
 * finishes without a dispatch — stays BullMQ's. A job the dispatch could not complete (its lock
 * lost, no longer active) goes through BullMQ's own completion, which reports it as it always did.
 */
export class InboxWorker extends Worker<InboxJobData, InboxJobResult> {
  private readonly finishedData: InboxWorkerOptions['finishedData'];
  private readonly onBytesRemoved: InboxWorkerOptions['onBytesRemoved'];
  private readonly handoff: CompletionHandoff | undefined;
  /** The metadata a job's dispatch call was asked to keep, for its handleCompleted. */
  private readonly keptData = new WeakMap<Job, StrippedJobData>();

  constructor(name: string, processor: Processor<InboxJobData, InboxJobResult>, opts: InboxWorkerOptions) {
    const { finishedData, onBytesRemoved, handoff, ...workerOpts } = opts;
    super(name, processor, workerOpts);
    this.finishedData = finishedData;
    this.onBytesRemoved = onBytesRemoved;
    this.handoff = handoff;
    if (handoff !== undefined && completionSettings(this, opts) !== undefined) {
      handoff.attach((job, token, eventId) => this.completionRequest(job, token, eventId));
    }
  }

  /** How the dispatch completes this job: as BullMQ's handleCompleted would, data stripped. */
  private completionRequest(
    job: Job<InboxJobData>,
    token: string,
    eventId: string,
  ): CompletionRequest | undefined {
    if (this.closing || this.backend.closing) return undefined;
    const kept = this.finishedData?.(job.data, { eventId, entryId: '', duplicate: false });
    let dataOpen: string | undefined;
    if (kept !== undefined) {
      // The script appends `entryId` last, where strippedJobData puts it: the JSON up to there.
      // Cut from the text, not deleted from the object (a deleted property makes it a slow one).
      const json = JSON.stringify(kept);
      dataOpen = json.endsWith(EMPTY_ENTRY_ID) ? json.slice(0, -EMPTY_ENTRY_ID.length) : json.slice(0, -1);
      this.keptData.set(job, kept);
    }
    return {
      token,
      resultOpen: `{"eventId":${JSON.stringify(eventId)}`,
      dataOpen,
      fetchNext: !this.paused,
    };
  }

  protected override async handleCompleted(
    result: InboxJobResult,
    job: Job<InboxJobData, InboxJobResult>,
    token: string,
    fetchNextCallback: () => boolean = () => true,
    span?: Parameters<Worker['handleCompleted']>[4],
  ): Promise<Job<InboxJobData, InboxJobResult>> {
    const outcome = this.handoff?.take(job);
    // Not completed in the dispatch call (not asked, lock lost, no longer active): BullMQ's own
    // completion does it, or says why not.
    if (outcome === undefined || outcome.code !== 0) {
      return super.handleCompleted(result, job, token, fetchNextCallback, span);
    }
    job.returnvalue = result;
    job.finishedOn = outcome.finishedOn;
    job.attemptsMade += 1;
    const kept = this.keptData.get(job);
    this.keptData.delete(job);
    // The job as Redis now holds it: listeners see that its bytes are gone.
    if (kept !== undefined) {
      kept.entryId = result.entryId;
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

/**
 * The settings a dispatcher needs to complete this worker's jobs, or undefined when the worker's
 * options need BullMQ's own completion: only the plain case (completed jobs removed by age alone,
 * no rate limit, no metrics) is done in the dispatch call.
 */
export function completionSettings(
  queue: { toKey(type: string): string },
  opts: Pick<WorkerOptions, 'removeOnComplete' | 'limiter' | 'metrics' | 'lockDuration' | 'name'>,
): CompletionSettings | undefined {
  const keepAge = keptAgeSeconds(opts.removeOnComplete);
  if (keepAge === undefined || opts.limiter || opts.metrics) return undefined;
  return {
    keys: completionKeys(queue),
    lockDurationMs: opts.lockDuration ?? 30000,
    keepCompletedMs: keepAge * 1000,
    ...(opts.name !== undefined ? { name: opts.name } : {}),
  };
}

/** The age of BullMQ's `removeOnComplete: { age }`, when that is all it says. */
function keptAgeSeconds(keep: WorkerOptions['removeOnComplete']): number | undefined {
  if (typeof keep !== 'object' || keep === null) return undefined;
  const { age, count, limit } = keep as { age?: number; count?: number; limit?: number };
  if (typeof age !== 'number' || age <= 0 || count !== undefined || limit !== undefined) return undefined;
  return age;
}
