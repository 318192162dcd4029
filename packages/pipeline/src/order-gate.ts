import { createHash } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { RedisConnection as Redis } from './redis-connections';
import type { Config } from '@cprh/config';
import type { InboxJobData } from './job-types';
import { personOrderKeys } from './order-keys';
import { HEAD_CHECK_LUA, RELEASE_LUA, WAKE_LUA } from './order-scripts';

/** An inbox job's place in its person's order (what the dispatch script's gate needs). */
export interface OrderTicket {
  /** Person key (personKey()): hashed CPR number, or the job id. */
  person: string;
  jobId: string;
  /** Receive sequence: the person's order. */
  seq: number;
  /** The original job id (a replay's `replayOf`): the member a gap of this event is recorded under. */
  gapId: string;
  /** A dead-letter replay: delivered late by definition, so it carries orderbroken. */
  replay: boolean;
}

/** The pending event of the same person that must enter the streams first. */
export interface BlockingHead {
  jobId: string;
  seq: number;
}

/** What a look at a blocking head found (HEAD_CHECK_LUA). */
export type HeadState = 'gone' | 'alive' | 'released-finished' | 'released-stale';
const HEAD_STATES: Record<number, HeadState> = {
  0: 'gone',
  1: 'alive',
  2: 'released-finished',
  3: 'released-stale',
};

/** The ticket of an inbox job; `person` is the job's, or (old jobs, replays of them) computed. */
export function orderTicket(jobId: string, data: InboxJobData, person: string): OrderTicket {
  return { person, jobId, seq: data.seq, gapId: data.replayOf ?? jobId, replay: data.replayOf !== undefined };
}

const sha1 = (s: string): string => createHash('sha1').update(s).digest('hex');

/**
 * The worker's side of the order per person (the gate itself is in the dispatch script): who
 * blocks a job, what a blocking head is up to (stale heads are released), releasing a dead
 * letter's place, and waking the next job of a person when its turn came.
 */
export class OrderGate {
  private readonly ttl: string;

  constructor(
    private readonly redis: Redis,
    private readonly inbox: Queue<InboxJobData>,
    private readonly cfg: Pick<Config['pipeline'], 'orderKeyPrefix' | 'dispatchedTtlSeconds'>,
    private readonly staleMs: number,
  ) {
    this.ttl = String(cfg.dispatchedTtlSeconds);
  }

  /** The earlier pending event of the ticket's person, if one blocks it (one ZRANGE). */
  async blockingHead(t: OrderTicket): Promise<BlockingHead | undefined> {
    const keys = personOrderKeys(this.cfg.orderKeyPrefix, t.person);
    const [id, score] = await this.redis.zrange(keys.pending, 0, 0, 'WITHSCORES');
    if (id === undefined || id === t.jobId || Number(score) >= t.seq) return undefined;
    return { jobId: id, seq: Number(score) };
  }

  /** Looks at the head that blocks `t`; releases it when it is finished or stale. */
  async checkHead(t: OrderTicket, head: BlockingHead): Promise<HeadState> {
    const k = personOrderKeys(this.cfg.orderKeyPrefix, t.person);
    const keys = [k.pending, k.gaps, k.missing, this.inbox.toKey(head.jobId), this.inbox.toKey('failed')];
    const r = await this.eval(HEAD_CHECK_LUA, keys, [head.jobId, String(this.staleMs), this.ttl]);
    return HEAD_STATES[Number(r)] ?? 'alive';
  }

  /**
   * A dead-lettered job gives up its place: the person's later events may go (flagged
   * orderbroken). Returns whether it was pending, and the job to wake, if any.
   */
  async release(t: OrderTicket): Promise<{ released: boolean; next: string | undefined }> {
    const k = personOrderKeys(this.cfg.orderKeyPrefix, t.person);
    const r = await this.eval(RELEASE_LUA, [k.pending, k.gaps], [t.jobId, t.gapId, String(t.seq), this.ttl]);
    const [released, next] = Array.isArray(r) ? (r as unknown[]) : [];
    return { released: released === 1, next: typeof next === 'string' && next !== '' ? next : undefined };
  }

  /**
   * Moves a waiting (delayed) job to the front of the wait list now that its turn came
   * (WAKE_LUA). A job that is not delayed (it is running, or was woken already) is left alone:
   * its own re-check finds its turn. Best effort: a lost wake-up costs ORDER_WAIT_MS.
   */
  async wake(jobId: string): Promise<void> {
    const q = this.inbox;
    const keys = [q.toKey('delayed'), q.toKey('wait'), q.toKey('meta'), q.toKey('marker'), q.toKey(jobId)];
    await this.eval(WAKE_LUA, keys, [jobId]).catch(() => undefined);
  }

  private async eval(script: string, keys: string[], args: string[]): Promise<unknown> {
    const sha = shas.get(script) ?? sha1(script);
    shas.set(script, sha);
    try {
      return await this.redis.evalsha(sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return this.redis.eval(script, keys.length, ...keys, ...args);
    }
  }
}

const shas = new Map<string, string>();
