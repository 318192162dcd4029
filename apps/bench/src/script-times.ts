import { createHash } from 'node:crypto';
import type Redis from 'ioredis';
import { Queue } from 'bullmq';
import {
  DISPATCH_LUA,
  HEAD_CHECK_LUA,
  INBOX_ADD_LUA,
  RELEASE_LUA,
  STRIP_LUA,
  WAKE_LUA,
} from '@cprh/pipeline';

/** Redis server time of one script over a run, per message (BENCH_SCRIPT_TIMES=1). */
export interface ScriptTime {
  /** BullMQ's script name (e.g. moveToFinished), ours (dispatch, inbox add, completion, strip), or the sha. */
  script: string;
  callsPerMessage: number;
  /**
   * Server time per message, µs, the commands the script runs included. SLOWLOG times wall-clock:
   * on a loaded machine it counts the time Redis waited for a core, so compare `share`s.
   */
  usecPerMessage: number;
  /** Part of all script time, 0..1. */
  share: number;
}

/** One SLOWLOG entry as Redis gives it: id, unix time, duration µs, argv (truncated), client. */
type SlowlogEntry = [number, number, number, string[], ...unknown[]];

const sha1 = (s: string): string => createHash('sha1').update(s).digest('hex');

/** sha → name of every script a run calls by EVALSHA: BullMQ's (as its client loads them) and ours. */
async function scriptNames(redis: Redis, prefix: string): Promise<Map<string, string>> {
  const names = new Map<string, string>([
    [sha1(DISPATCH_LUA), 'dispatch, complete, take the next (ours)'],
    [sha1(INBOX_ADD_LUA), 'inbox add: seq, order, job (ours)'],
    [sha1(RELEASE_LUA), 'release order (ours)'],
    [sha1(HEAD_CHECK_LUA), 'order head check (ours)'],
    [sha1(WAKE_LUA), 'order wake (ours)'],
  ]);
  // BullMQ defines its scripts on its client (ioredis defineCommand keeps them in scriptsSet).
  const conn = redis.duplicate();
  const q = new Queue('script-names', { connection: conn, prefix });
  try {
    const client = (await q.getBackend().client) as unknown as {
      scriptsSet?: Record<string, { sha: string }>;
    };
    for (const [name, s] of Object.entries(client.scriptsSet ?? {})) names.set(s.sha, name);
  } finally {
    await q.close();
    conn.disconnect();
  }
  return names;
}

/**
 * Times every script call on the run's private Redis by its SLOWLOG (threshold 0), drained every
 * 250 ms so the log stays small. Costly (the log itself adds ~30% to Redis time): for a breakdown
 * of where Redis spends per message, never for the run's rates or CPU figures.
 */
export class ScriptTimer {
  private readonly totals = new Map<string, { calls: number; usec: number }>();
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<void> = Promise.resolve();

  constructor(private readonly redis: Redis) {}

  async start(): Promise<void> {
    await this.redis.config('SET', 'slowlog-max-len', '1000000');
    await this.redis.config('SET', 'slowlog-log-slower-than', '0');
    await this.redis.slowlog('RESET');
    this.timer = setInterval(() => {
      this.draining = this.draining.then(() => this.drain()).catch(() => undefined);
    }, 250);
  }

  /** Stops timing; per message figures of each script, largest first. */
  async stop(messages: number, prefix: string): Promise<ScriptTime[]> {
    clearInterval(this.timer);
    await this.draining;
    await this.redis.config('SET', 'slowlog-log-slower-than', '10000');
    await this.drain();
    const names = await scriptNames(this.redis, prefix);
    const all = [...this.totals.values()].reduce((sum, t) => sum + t.usec, 0);
    return [...this.totals.entries()]
      .map(([key, t]) => ({
        script: names.get(key) ?? (key === sha1(STRIP_LUA) ? 'strip (ours)' : key),
        callsPerMessage: t.calls / messages,
        usecPerMessage: t.usec / messages,
        share: all === 0 ? 0 : t.usec / all,
      }))
      .sort((a, b) => b.usecPerMessage - a.usecPerMessage);
  }

  private async drain(): Promise<void> {
    const replies = await this.redis.multi().slowlog('GET', -1).slowlog('RESET').exec();
    const entries = (replies?.[0]?.[1] ?? []) as SlowlogEntry[];
    for (const [, , usec, argv] of entries) {
      const cmd = argv[0]?.toLowerCase();
      // Scripts only: the commands a script runs are logged too, but its own time includes them.
      let key: string | undefined;
      if (cmd === 'evalsha') key = argv[1];
      else if (cmd === 'eval')
        key = STRIP_LUA.startsWith((argv[1] ?? '').slice(0, 100)) ? sha1(STRIP_LUA) : 'eval';
      if (key === undefined) continue;
      const t = this.totals.get(key) ?? { calls: 0, usec: 0 };
      t.calls += 1;
      t.usec += usec;
      this.totals.set(key, t);
    }
  }
}
