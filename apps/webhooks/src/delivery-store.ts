import type { RedisConnection as Redis } from '@cprh/pipeline';
import {
  endpointBase,
  endpointKeys,
  entryTimeMs,
  parseQueueItem,
  queueItem,
  type EndpointKeys,
} from './delivery-keys';
import { RedisScript } from './redis-script';

/** Attempts so far at a person's first queued event. */
export interface Tries {
  readonly attempts: number;
  readonly status: number | null;
  readonly error: string | null;
  readonly firstAt: number;
  readonly lastAt: number;
}

/** An event that used up its attempts (or whose stream entry was gone). */
export interface DeadLetter {
  readonly eventId: string;
  readonly entryId: string;
  readonly slot: string;
  readonly attempts: number;
  readonly lastStatus: number | null;
  readonly lastError: string | null;
  readonly firstAttemptAt: number | null;
  readonly deadAt: number;
}

/** A person's first event, leased to this process to send. */
export interface Claimed {
  readonly slot: string;
  readonly item: string;
  readonly entryId: string;
  readonly eventId: string;
  readonly token: string;
  readonly tries: Tries | null;
}

export interface Disabled {
  readonly reason: string;
  readonly at: number;
}

export type Outcome =
  | { kind: 'delivered' }
  | { kind: 'retry'; dueAt: number; tries: Tries }
  | { kind: 'dead'; dead: DeadLetter }
  | { kind: 'gone'; tries: Tries; disabled: Disabled };

// Every key a script touches comes in KEYS (endpointKeys), none is built inside: on a Redis
// Cluster they all carry the endpoint's hash tag. A person's queue is found by claims through
// `heads` (slot -> first item), kept by every script that changes a queue's first item.

// KEYS intake, accepted, queue, backlog, ready, heads
// ARGV token, eventId, item, slot, entryMs, now, acceptedTtlMs
export const ACCEPT_LUA = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
local now = tonumber(ARGV[6])
if redis.call('ZSCORE', KEYS[2], ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[2], now, ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - tonumber(ARGV[7]))
local n = redis.call('RPUSH', KEYS[3], ARGV[3])
redis.call('ZADD', KEYS[4], ARGV[5], ARGV[3])
if n == 1 then
  redis.call('HSET', KEYS[6], ARGV[4], ARGV[3])
  redis.call('ZADD', KEYS[5], now, ARGV[4])
end
return 1
`;
const ACCEPT = new RedisScript(ACCEPT_LUA);

// Appends an event (replay) to its person's queue.
// KEYS queue, backlog, ready, leased, heads   ARGV item, slot, entryMs, now
export const ENQUEUE_LUA = `
local n = redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
if n == 1 then
  redis.call('HSET', KEYS[5], ARGV[2], ARGV[1])
  if not redis.call('ZSCORE', KEYS[4], ARGV[2]) then redis.call('ZADD', KEYS[3], ARGV[4], ARGV[2]) end
end
return n
`;
const ENQUEUE = new RedisScript(ENQUEUE_LUA);

// KEYS leased, ready, lease, heads, disabled, tries
// ARGV now, max in flight (all processes), leaseMs, token prefix.
// Returns { next due ms or -1, slot, item, token, tries, ... }.
export const CLAIM_LUA = `
local now = tonumber(ARGV[1])
-- Leases of killed or stuck processes: their persons are due again (an attempt in flight may repeat).
for _, slot in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)) do
  redis.call('ZREM', KEYS[1], slot)
  redis.call('HDEL', KEYS[3], slot)
  if redis.call('HEXISTS', KEYS[4], slot) == 1 then redis.call('ZADD', KEYS[2], now, slot) end
end
local out = { -1 }
if redis.call('EXISTS', KEYS[5]) == 1 then return out end
local free = tonumber(ARGV[2]) - redis.call('ZCARD', KEYS[1])
if free > 0 then
  local slots = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, free)
  for i, slot in ipairs(slots) do
    redis.call('ZREM', KEYS[2], slot)
    local head = redis.call('HGET', KEYS[4], slot)
    if head then
      local token = ARGV[4] .. ':' .. i
      redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), slot)
      redis.call('HSET', KEYS[3], slot, token)
      local tries = redis.call('HGET', KEYS[6], slot) or ''
      table.insert(out, slot)
      table.insert(out, head)
      table.insert(out, token)
      table.insert(out, tries)
    end
  end
end
local nxt = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
if nxt[2] then out[1] = tonumber(nxt[2]) end
return out
`;
const CLAIM = new RedisScript(CLAIM_LUA);

// KEYS lease, leased, queue, backlog, tries, dead, ready, disabled, heads
// ARGV slot, token, outcome, item, eventId, now, dueAt, triesJson, deadJson, disabledJson
export const COMPLETE_LUA = `
local slot = ARGV[1]
if redis.call('HGET', KEYS[1], slot) ~= ARGV[2] then return 0 end
redis.call('ZREM', KEYS[2], slot)
redis.call('HDEL', KEYS[1], slot)
local outcome = ARGV[3]
if outcome == 'delivered' or outcome == 'dead' then
  if redis.call('LINDEX', KEYS[3], 0) == ARGV[4] then redis.call('LPOP', KEYS[3]) end
  redis.call('ZREM', KEYS[4], ARGV[4])
  redis.call('HDEL', KEYS[5], slot)
  if outcome == 'dead' then redis.call('HSET', KEYS[6], ARGV[5], ARGV[9]) end
  local head = redis.call('LINDEX', KEYS[3], 0)
  if head then
    redis.call('HSET', KEYS[9], slot, head)
    redis.call('ZADD', KEYS[7], ARGV[6], slot)
  else
    redis.call('HDEL', KEYS[9], slot)
  end
elseif outcome == 'retry' then
  redis.call('HSET', KEYS[5], slot, ARGV[8])
  redis.call('ZADD', KEYS[7], ARGV[7], slot)
else
  redis.call('HSET', KEYS[5], slot, ARGV[8])
  redis.call('SET', KEYS[8], ARGV[10])
  redis.call('ZADD', KEYS[7], ARGV[6], slot)
end
return 1
`;
const COMPLETE = new RedisScript(COMPLETE_LUA);

// Takes the intake when free, renews it when ours.   KEYS intake   ARGV token, leaseMs
export const INTAKE_LEASE_LUA = `
local holder = redis.call('GET', KEYS[1])
if holder == false or holder == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
`;
const INTAKE_LEASE = new RedisScript(INTAKE_LEASE_LUA);

// KEYS intake   ARGV token
export const INTAKE_RELEASE_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;
const INTAKE_RELEASE = new RedisScript(INTAKE_RELEASE_LUA);

// A dead letter back to the end of its person's queue. The caller read the letter's slot to name
// the queue key; -1 when the letter names another slot now (read again).
// KEYS dead, queue, backlog, ready, leased, heads   ARGV eventId, now, slot
export const REPLAY_DEAD_LUA = `
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return 0 end
local d = cjson.decode(raw)
if d.slot ~= ARGV[3] then return -1 end
local item = d.entryId .. '|' .. d.eventId
local n = redis.call('RPUSH', KEYS[2], item)
redis.call('ZADD', KEYS[3], tonumber(string.match(d.entryId, '^(%d+)')) or ARGV[2], item)
if n == 1 then
  redis.call('HSET', KEYS[6], d.slot, item)
  if not redis.call('ZSCORE', KEYS[5], d.slot) then redis.call('ZADD', KEYS[4], ARGV[2], d.slot) end
end
redis.call('HDEL', KEYS[1], ARGV[1])
return 1
`;
const REPLAY_DEAD = new RedisScript(REPLAY_DEAD_LUA);

// State written before `heads` existed: a queue whose slot is ready or leased gets its head entry.
// KEYS heads, queue   ARGV slot
export const BACKFILL_HEAD_LUA = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end
local h = redis.call('LINDEX', KEYS[2], 0)
if not h then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], h)
return 1
`;
const BACKFILL_HEAD = new RedisScript(BACKFILL_HEAD_LUA);

// Erasure of one person (`cprh erase`): their queued events, retry state and dead letters go.
// KEYS queue, backlog, ready, leased, lease, tries, heads, dead   ARGV slot
// Returns {queued items removed, event ids of the dead letters removed}.
export const ERASE_PERSON_LUA = `
local items = redis.call('LRANGE', KEYS[1], 0, -1)
for _, item in ipairs(items) do redis.call('ZREM', KEYS[2], item) end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('ZREM', KEYS[4], ARGV[1])
redis.call('HDEL', KEYS[5], ARGV[1])
redis.call('HDEL', KEYS[6], ARGV[1])
redis.call('HDEL', KEYS[7], ARGV[1])
local dead = {}
local all = redis.call('HGETALL', KEYS[8])
for i = 1, #all, 2 do
  local ok, d = pcall(cjson.decode, all[i + 1])
  if ok and type(d) == 'table' and d.slot == ARGV[1] then
    redis.call('HDEL', KEYS[8], all[i])
    table.insert(dead, all[i])
  end
end
return { items, dead }
`;
const ERASE_PERSON = new RedisScript(ERASE_PERSON_LUA);

function parseJson<T>(text: string | null | undefined): T | null {
  if (text === null || text === undefined || text === '') return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

/** One endpoint's delivery state in Redis (see delivery-keys.ts); every change is one atomic script. */
export class DeliveryStore {
  readonly base: string;
  readonly keys: EndpointKeys;

  constructor(
    private readonly redis: Redis,
    queuePrefix: string,
    readonly endpointId: string,
  ) {
    this.base = endpointBase(queuePrefix, endpointId);
    this.keys = endpointKeys(queuePrefix, endpointId);
  }

  /** 1 = queued, 0 = taken from the stream before (a re-read), -1 = this process no longer holds the intake. */
  async accept(
    token: string,
    eventId: string,
    entryId: string,
    slot: string,
    acceptedTtlMs: number,
  ): Promise<number> {
    const k = this.keys;
    const r = await ACCEPT.run(
      this.redis,
      [k.intake, k.accepted, k.queue(slot), k.backlog, k.ready, k.heads],
      [token, eventId, queueItem(entryId, eventId), slot, entryTimeMs(entryId), Date.now(), acceptedTtlMs],
    );
    return Number(r);
  }

  /** Up to `max` (in flight across processes) persons' first events, leased for leaseMs. */
  async claim(
    max: number,
    leaseMs: number,
    tokenPrefix: string,
  ): Promise<{ claimed: Claimed[]; nextDue: number | null }> {
    const k = this.keys;
    const r = (await CLAIM.run(
      this.redis,
      [k.leased, k.ready, k.lease, k.heads, k.disabled, k.tries],
      [Date.now(), max, leaseMs, tokenPrefix],
    )) as (string | number)[];
    const claimed: Claimed[] = [];
    for (let i = 1; i + 3 < r.length; i += 4) {
      const item = String(r[i + 1]);
      claimed.push({
        slot: String(r[i]),
        item,
        ...parseQueueItem(item),
        token: String(r[i + 2]),
        tries: parseJson<Tries>(String(r[i + 3])),
      });
    }
    const next = Number(r[0]);
    return { claimed, nextDue: next < 0 ? null : next };
  }

  /** Records an attempt's outcome; false when the lease was lost (expired and taken by another). */
  async complete(c: Claimed, outcome: Outcome): Promise<boolean> {
    const now = Date.now();
    const k = this.keys;
    const r = await COMPLETE.run(
      this.redis,
      [k.lease, k.leased, k.queue(c.slot), k.backlog, k.tries, k.dead, k.ready, k.disabled, k.heads],
      [
        c.slot,
        c.token,
        outcome.kind,
        c.item,
        c.eventId,
        now,
        outcome.kind === 'retry' ? outcome.dueAt : now,
        outcome.kind === 'retry' || outcome.kind === 'gone' ? JSON.stringify(outcome.tries) : '',
        outcome.kind === 'dead' ? JSON.stringify(outcome.dead) : '',
        outcome.kind === 'gone' ? JSON.stringify(outcome.disabled) : '',
      ],
    );
    return Number(r) === 1;
  }

  async holdIntake(token: string, leaseMs: number): Promise<boolean> {
    return Number(await INTAKE_LEASE.run(this.redis, [this.keys.intake], [token, leaseMs])) === 1;
  }

  async releaseIntake(token: string): Promise<void> {
    await INTAKE_RELEASE.run(this.redis, [this.keys.intake], [token]);
  }

  async disable(reason: string): Promise<void> {
    const d: Disabled = { reason, at: Date.now() };
    await this.redis.set(this.keys.disabled, JSON.stringify(d));
  }

  /** Enables the endpoint; persons whose retry was pending are due at once. */
  async enable(): Promise<boolean> {
    return (await this.redis.del(this.keys.disabled)) === 1;
  }

  async disabled(): Promise<Disabled | null> {
    return parseJson<Disabled>(await this.redis.get(this.keys.disabled));
  }

  async deadLetters(): Promise<DeadLetter[]> {
    const all = await this.redis.hvals(this.keys.dead);
    return all
      .map((t) => parseJson<DeadLetter>(t))
      .filter((d): d is DeadLetter => d !== null)
      .sort((a, b) => (a.entryId < b.entryId ? -1 : a.entryId > b.entryId ? 1 : 0));
  }

  /** True when the dead letter existed and is queued again (at the end of its person's queue). */
  async replayDead(eventId: string): Promise<boolean> {
    const k = this.keys;
    // The letter names its person's queue: read it, then replay naming that queue in KEYS.
    for (let attempt = 0; attempt < 3; attempt++) {
      const d = parseJson<DeadLetter>(await this.redis.hget(k.dead, eventId));
      if (d === null) return false;
      const r = Number(
        await REPLAY_DEAD.run(
          this.redis,
          [k.dead, k.queue(d.slot), k.backlog, k.ready, k.leased, k.heads],
          [eventId, Date.now(), d.slot],
        ),
      );
      if (r !== -1) return r === 1;
    }
    return false;
  }

  /** Gives queues written before `heads` existed their head entry (idempotent; run at start). */
  async backfillHeads(): Promise<number> {
    const k = this.keys;
    const slots = new Set([
      ...(await this.redis.zrange(k.ready, 0, -1)),
      ...(await this.redis.zrange(k.leased, 0, -1)),
    ]);
    let n = 0;
    for (const slot of slots)
      n += Number(await BACKFILL_HEAD.run(this.redis, [k.heads, k.queue(slot)], [slot]));
    return n;
  }

  /**
   * Erasure: one person's queued events, retry state and dead letters for this endpoint (a dry
   * run only reads them). Returns the event ids queued and dead-lettered.
   */
  async erasePerson(slot: string, dryRun = false): Promise<{ queued: string[]; dead: string[] }> {
    const k = this.keys;
    if (dryRun) {
      const items = await this.redis.lrange(k.queue(slot), 0, -1);
      const dead = (await this.deadLetters()).filter((d) => d.slot === slot).map((d) => d.eventId);
      return { queued: items.map((i) => parseQueueItem(i).eventId), dead };
    }
    const r = (await ERASE_PERSON.run(
      this.redis,
      [k.queue(slot), k.backlog, k.ready, k.leased, k.lease, k.tries, k.heads, k.dead],
      [slot],
    )) as [string[], string[]];
    return {
      queued: (r[0] ?? []).map((i) => parseQueueItem(String(i)).eventId),
      dead: (r[1] ?? []).map(String),
    };
  }

  /** Queues an event again by its stream entry (a replay of an event that was delivered). */
  async enqueue(entryId: string, eventId: string, slot: string): Promise<void> {
    const k = this.keys;
    await ENQUEUE.run(
      this.redis,
      [k.queue(slot), k.backlog, k.ready, k.leased, k.heads],
      [queueItem(entryId, eventId), slot, entryTimeMs(entryId), Date.now()],
    );
  }

  /** Undelivered events and the stream time of the oldest. */
  async backlog(): Promise<{ count: number; oldestMs: number | null }> {
    const [count, oldest] = await Promise.all([
      this.redis.zcard(this.keys.backlog),
      this.redis.zrange(this.keys.backlog, 0, 0, 'WITHSCORES'),
    ]);
    return { count, oldestMs: oldest[1] === undefined ? null : Number(oldest[1]) };
  }

  async deadCount(): Promise<number> {
    return this.redis.hlen(this.keys.dead);
  }
}
