import type { RedisConnection as Redis } from './redis-connections';
import type { Config } from '@cprh/config';
import type { InboxJobData, InboxJobResult } from './job-types';
import { metrics } from '@cprh/runtime';
import { isStripped, strippedJobData, type StrippedJobData, type StrippedOutcome } from './stripped-job';
import { tenantLabel } from './tenant-label';

/**
 * KEYS per job: the job's hash, the finished set it must still be in, a key that must exist (the
 * job itself, or for a failed job its dead letter: the bytes are only removed once they are safe
 * there). ARGV per job: its id, the metadata. Checked and written atomically, so a job a board
 * user retried meanwhile (no longer in the set) keeps its bytes.
 */
export const STRIP_LUA = `
local out = {}
for i = 1, #ARGV / 2 do
  local id = ARGV[2 * i - 1]
  out[i] = 0
  if redis.call('ZSCORE', KEYS[3 * i - 1], id) and redis.call('EXISTS', KEYS[3 * i]) == 1 then
    redis.call('HSET', KEYS[3 * i - 2], 'data', ARGV[2 * i])
    out[i] = 1
  end
end
return out
`;

type FinishedState = 'completed' | 'failed';

interface Item {
  jobId: string;
  state: FinishedState;
  meta: StrippedJobData;
}

/** Most jobs per script call, like the dispatch batches. */
const MAX_BATCH = 256;

/**
 * Replaces the data of finished inbox jobs by their metadata (StrippedJobData): the message's
 * bytes, and with them its CPR numbers, leave Redis once the event is in the stream or the
 * message is a dead letter. The job itself stays (WORKER_KEEP_COMPLETED_SECONDS), so BullMQ's
 * job-id check still drops a redelivered BeskedId; after that the dispatch marker does.
 * Jobs finished in one turn of the event loop are stripped in one script call.
 */
export class JobStripper {
  private pending: Item[] = [];
  private scheduled = false;
  private flushing: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly redis: Redis,
    private readonly cfg: Config['pipeline'],
  ) {}

  /** A completed job (the worker's `completed` event): its bytes go now. */
  completed(jobId: string, data: InboxJobData, result: InboxJobResult): void {
    if (isStripped(data)) return;
    this.queue({ jobId, state: 'completed', meta: strippedJobData(data, 'dispatched', result) });
  }

  /** A failed job: its bytes go if (and once) its dead letter holds them. */
  failed(jobId: string, data: InboxJobData): void {
    if (isStripped(data)) return;
    this.queue({ jobId, state: 'failed', meta: strippedJobData(data, 'dead-lettered') });
  }

  /** Counts a job whose bytes went another way (in the call that completed it: InboxWorker). */
  countRemoved(outcome: StrippedOutcome): void {
    metrics.jobBytesRemoved.inc({ outcome, tenant: tenantLabel(this.cfg) });
  }

  /** Strips these jobs now; resolves with how many were stripped. */
  async strip(items: readonly Item[]): Promise<number> {
    let n = 0;
    for (let i = 0; i < items.length; i += MAX_BATCH) {
      const batch = items.slice(i, i + MAX_BATCH);
      const keys: string[] = [];
      const args: string[] = [];
      const base = `${this.cfg.queuePrefix}:${this.cfg.inboxQueue}`;
      for (const it of batch) {
        const guard =
          it.state === 'failed'
            ? `${this.cfg.queuePrefix}:${this.cfg.deadQueue}:${it.jobId}`
            : `${base}:${it.jobId}`;
        keys.push(`${base}:${it.jobId}`, `${base}:${it.state}`, guard);
        args.push(it.jobId, JSON.stringify(it.meta));
      }
      const flags = (await this.redis.eval(STRIP_LUA, keys.length, ...keys, ...args)) as number[];
      batch.forEach((it, j) => {
        if (flags[j] !== 1) return;
        n += 1;
        this.countRemoved(it.meta.bytesRemoved.outcome);
      });
    }
    return n;
  }

  /** Waits for the strips queued so far (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.scheduled || this.pending.length > 0) await new Promise((r) => setImmediate(r));
    await this.flushing;
  }

  private queue(item: Item): void {
    this.pending.push(item);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const items = this.pending;
      this.pending = [];
      // A failure leaves the bytes for the retention sweep (RetentionTask), which finds them.
      this.flushing = this.strip(items).catch(() => undefined);
    });
  }
}

export type { Item as StripItem, FinishedState };
