import type { RedisConnection as Redis } from './redis-connections';
import type { Config } from '@cprh/config';
import type { InboxJobData, InboxJobResult } from './job-types';
import type { JobStripper, StripItem } from './job-stripper';
import { isStripped, strippedJobData } from './stripped-job';

const PAGE = 200;
/**
 * A pause between pages: a pass at 1,000/s reads ~15,000 completed jobs, and read in one burst it
 * held the worker and Redis up for 100-200 ms every RETENTION_INTERVAL_SECONDS, which was the
 * steady run's p99 (issue 23). Spread out, the same pass takes ~1.5 s of a 10 s interval.
 */
const PAGE_PAUSE_MS = 20;
/**
 * Jobs finished this long before the last sweep's newest are looked at again: failed ones for
 * late dead letters (a stalled job's is recorded after it failed), completed ones only for a
 * finish whose score (the worker's clock) lands after a sweep read past it. The overlap is read
 * every pass, so it is kept short where it can be: 5 min of completed jobs at 1,000/s was 300,000
 * jobs fetched and parsed every RETENTION_INTERVAL_SECONDS (the steady run's p99, issue 23).
 */
const OVERLAP_MS = { completed: 5 * 1000, failed: 5 * 60 * 1000 } as const;
/**
 * Completed jobs are read once they are this old: the worker's own strip (the `completed` event)
 * is done by then, so a pass reads each completed job ~1.5 times (overlap 5 s, interval 10 s)
 * instead of ~4 (overlap 30 s): every read is an HGET of the job in Redis, in bursts each
 * RETENTION_INTERVAL_SECONDS (the steady run's slowest seconds, issue 23). A finish scored by a
 * clock up to settle + overlap (7 s) behind the sweeping worker's is still read.
 */
const SETTLE_MS = { completed: 2 * 1000, failed: 0 } as const;

/**
 * KEYS: job hashes. Returns 1 for each whose data still holds the message (not stripped: no
 * top-level "bytesRemoved" key, which inside the JSON string of a body would be escaped), so only
 * those are fetched and parsed; the overlap's stripped jobs cost one HGET in Redis each.
 */
export const HOLDS_BYTES_LUA = `
local out = {}
for i = 1, #KEYS do
  local d = redis.call('HGET', KEYS[i], 'data')
  out[i] = (d and not string.find(d, '"bytesRemoved":', 1, true)) and 1 or 0
end
return out
`;

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
      const upTo = (state === 'completed' ? now - this.keepBytesMs : now) - SETTLE_MS[state];
      const from = this.since[state];
      if (upTo < from) continue;
      const set = `${this.cfg.queuePrefix}:${this.cfg.inboxQueue}:${state}`;
      let newest = from;
      // Paged by score, not by a growing offset (O(offset) each page in Redis): the next page
      // starts at the last score, past the entries with that score already seen.
      let offset = 0;
      for (;;) {
        const page = await this.redis.zrangebyscore(set, newest, upTo, 'WITHSCORES', 'LIMIT', offset, PAGE);
        if (page.length === 0) break;
        const ids: string[] = [];
        for (let i = 0; i < page.length; i += 2) {
          ids.push(page[i] ?? '');
          const score = Number(page[i + 1]);
          offset = score === newest ? offset + 1 : 1;
          newest = score;
        }
        n += await this.stripper.strip(await this.withBytes(await this.holdingBytes(ids), state));
        if (page.length < PAGE * 2) break;
        await new Promise((resolve) => setTimeout(resolve, PAGE_PAUSE_MS));
      }
      this.since[state] = Math.max(from, newest - OVERLAP_MS[state]);
    }
    return n;
  }

  /** The ids among `ids` whose job still holds its message (HOLDS_BYTES_LUA, one call). */
  private async holdingBytes(ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const base = `${this.cfg.queuePrefix}:${this.cfg.inboxQueue}`;
    const keys = ids.map((id) => `${base}:${id}`);
    const flags = (await this.redis.eval(HOLDS_BYTES_LUA, keys.length, ...keys)) as number[];
    return ids.filter((_, i) => flags[i] === 1);
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
