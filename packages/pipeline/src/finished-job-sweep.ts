import type { RedisConnection as Redis } from './redis-connections';
import type { Config } from '@cprh/config';
import type { InboxJobData, InboxJobResult } from './job-types';
import type { JobStripper, StripItem } from './job-stripper';
import { isStripped, strippedJobData } from './stripped-job';

const PAGE = 500;
/** Jobs finished this long before the last sweep's newest are looked at again (late dead letters). */
const OVERLAP_MS = 5 * 60 * 1000;

/**
 * Finds finished inbox jobs that still hold their message's bytes and strips them: completed
 * jobs older than WORKER_KEEP_COMPLETED_BYTES_SECONDS (0: all; the worker's `completed` event
 * already did, this catches a worker that died in between or ran an older version), and failed
 * jobs whose dead letter exists. After the first full pass it looks only at newly finished jobs.
 */
export class FinishedJobSweep {
  private readonly since: Record<'completed' | 'failed', number> = { completed: 0, failed: 0 };

  constructor(
    private readonly redis: Redis,
    private readonly cfg: Config['pipeline'],
    private readonly stripper: JobStripper,
    private readonly keepBytesMs: number,
  ) {}

  /** Resolves with how many jobs it stripped. */
  async run(now = Date.now()): Promise<number> {
    let n = 0;
    for (const state of ['completed', 'failed'] as const) {
      const upTo = state === 'completed' ? now - this.keepBytesMs : now;
      const from = this.since[state];
      if (upTo < from) continue;
      const set = `${this.cfg.queuePrefix}:${this.cfg.inboxQueue}:${state}`;
      let newest = from;
      for (let offset = 0; ; offset += PAGE) {
        const page = await this.redis.zrangebyscore(set, from, upTo, 'WITHSCORES', 'LIMIT', offset, PAGE);
        if (page.length === 0) break;
        const ids: string[] = [];
        for (let i = 0; i < page.length; i += 2) {
          ids.push(page[i] ?? '');
          newest = Math.max(newest, Number(page[i + 1]));
        }
        n += await this.stripper.strip(await this.withBytes(ids, state));
        if (page.length < PAGE * 2) break;
      }
      this.since[state] = Math.max(from, newest - OVERLAP_MS);
    }
    return n;
  }

  private async withBytes(ids: readonly string[], state: 'completed' | 'failed'): Promise<StripItem[]> {
    const base = `${this.cfg.queuePrefix}:${this.cfg.inboxQueue}`;
    const pipe = this.redis.pipeline();
    for (const id of ids) pipe.hmget(`${base}:${id}`, 'data', 'returnvalue');
    const replies = (await pipe.exec()) ?? [];
    const out: StripItem[] = [];
    ids.forEach((jobId, i) => {
      const [data, returnvalue] = (replies[i]?.[1] as (string | null)[] | undefined) ?? [];
      const parsed = parse<InboxJobData>(data);
      if (parsed === undefined || isStripped(parsed) || typeof parsed.body !== 'string') return;
      const meta =
        state === 'completed'
          ? strippedJobData(parsed, 'dispatched', parse<InboxJobResult>(returnvalue))
          : strippedJobData(parsed, 'dead-lettered');
      out.push({ jobId, state, meta });
    });
    return out;
  }
}

function parse<T>(json: string | null | undefined): T | undefined {
  if (json === null || json === undefined) return undefined;
  try {
    return JSON.parse(json) as T;
  } catch {
    return undefined;
  }
}
