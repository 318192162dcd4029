import type { RedisConnection as Redis } from '@cprh/pipeline';
import { endpointBase, entryTimeMs, parseQueueItem, queueItem } from './delivery-keys';
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

// ARGV: base, token, eventId, item, slot, entryMs, now, acceptedTtlMs
const ACCEPT = new RedisScript(`
local base = ARGV[1]
if redis.call('GET', base .. ':intake') ~= ARGV[2] then return -1 end
local now = tonumber(ARGV[7])
if redis.call('ZSCORE', base .. ':accepted', ARGV[3]) then return 0 end
redis.call('ZADD', base .. ':accepted', now, ARGV[3])
redis.call('ZREMRANGEBYSCORE', base .. ':accepted', '-inf', now - tonumber(ARGV[8]))
local n = redis.call('RPUSH', base .. ':q:' .. ARGV[5], ARGV[4])
redis.call('ZADD', base .. ':backlog', ARGV[6], ARGV[4])
if n == 1 then redis.call('ZADD', base .. ':ready', now, ARGV[5]) end
return 1
`);

// ARGV: base, item, slot, entryMs, now. Appends an event (replay) to its person's queue.
const ENQUEUE = new RedisScript(`
local base = ARGV[1]
local n = redis.call('RPUSH', base .. ':q:' .. ARGV[3], ARGV[2])
redis.call('ZADD', base .. ':backlog', ARGV[4], ARGV[2])
if n == 1 and not redis.call('ZSCORE', base .. ':leased', ARGV[3]) then
  redis.call('ZADD', base .. ':ready', ARGV[5], ARGV[3])
end
return n
`);

// ARGV: base, now, max in flight (all processes), leaseMs, token prefix.
// Returns { next due ms or -1, slot, item, token, tries, ... }.
const CLAIM = new RedisScript(`
local base = ARGV[1]
local now = tonumber(ARGV[2])
local leased = base .. ':leased'
local ready = base .. ':ready'
-- Leases of killed or stuck processes: their persons are due again (an attempt in flight may repeat).
for _, slot in ipairs(redis.call('ZRANGEBYSCORE', leased, '-inf', now)) do
  redis.call('ZREM', leased, slot)
  redis.call('HDEL', base .. ':lease', slot)
  if redis.call('LLEN', base .. ':q:' .. slot) > 0 then redis.call('ZADD', ready, now, slot) end
end
local out = { -1 }
if redis.call('EXISTS', base .. ':disabled') == 1 then return out end
local free = tonumber(ARGV[3]) - redis.call('ZCARD', leased)
if free > 0 then
  local slots = redis.call('ZRANGEBYSCORE', ready, '-inf', now, 'LIMIT', 0, free)
  for i, slot in ipairs(slots) do
    redis.call('ZREM', ready, slot)
    local head = redis.call('LINDEX', base .. ':q:' .. slot, 0)
    if head then
      local token = ARGV[5] .. ':' .. i
      redis.call('ZADD', leased, now + tonumber(ARGV[4]), slot)
      redis.call('HSET', base .. ':lease', slot, token)
      local tries = redis.call('HGET', base .. ':tries', slot) or ''
      table.insert(out, slot)
      table.insert(out, head)
      table.insert(out, token)
      table.insert(out, tries)
    end
  end
end
local nxt = redis.call('ZRANGE', ready, 0, 0, 'WITHSCORES')
if nxt[2] then out[1] = tonumber(nxt[2]) end
return out
`);

// ARGV: base, slot, token, outcome, item, eventId, now, dueAt, triesJson, deadJson, disabledJson
const COMPLETE = new RedisScript(`
local base = ARGV[1]
local slot = ARGV[2]
if redis.call('HGET', base .. ':lease', slot) ~= ARGV[3] then return 0 end
redis.call('ZREM', base .. ':leased', slot)
redis.call('HDEL', base .. ':lease', slot)
local q = base .. ':q:' .. slot
local outcome = ARGV[4]
if outcome == 'delivered' or outcome == 'dead' then
  if redis.call('LINDEX', q, 0) == ARGV[5] then redis.call('LPOP', q) end
  redis.call('ZREM', base .. ':backlog', ARGV[5])
  redis.call('HDEL', base .. ':tries', slot)
  if outcome == 'dead' then redis.call('HSET', base .. ':dead', ARGV[6], ARGV[10]) end
  if redis.call('LLEN', q) > 0 then redis.call('ZADD', base .. ':ready', ARGV[7], slot) end
elseif outcome == 'retry' then
  redis.call('HSET', base .. ':tries', slot, ARGV[9])
  redis.call('ZADD', base .. ':ready', ARGV[8], slot)
else
  redis.call('HSET', base .. ':tries', slot, ARGV[9])
  redis.call('SET', base .. ':disabled', ARGV[11])
  redis.call('ZADD', base .. ':ready', ARGV[7], slot)
end
return 1
`);

// ARGV: base, token, leaseMs. Takes the intake when free, renews it when ours.
const INTAKE_LEASE = new RedisScript(`
local key = ARGV[1] .. ':intake'
local holder = redis.call('GET', key)
if holder == false or holder == ARGV[2] then
  redis.call('SET', key, ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0
`);

const INTAKE_RELEASE = new RedisScript(`
if redis.call('GET', ARGV[1] .. ':intake') == ARGV[2] then return redis.call('DEL', ARGV[1] .. ':intake') end
return 0
`);

// ARGV: base, eventId, now. A dead letter back to the end of its person's queue.
const REPLAY_DEAD = new RedisScript(`
local base = ARGV[1]
local raw = redis.call('HGET', base .. ':dead', ARGV[2])
if not raw then return 0 end
local d = cjson.decode(raw)
local item = d.entryId .. '|' .. d.eventId
local n = redis.call('RPUSH', base .. ':q:' .. d.slot, item)
redis.call('ZADD', base .. ':backlog', tonumber(string.match(d.entryId, '^(%d+)')) or ARGV[3], item)
if n == 1 and not redis.call('ZSCORE', base .. ':leased', d.slot) then
  redis.call('ZADD', base .. ':ready', ARGV[3], d.slot)
end
redis.call('HDEL', base .. ':dead', ARGV[2])
return 1
`);

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

  constructor(
    private readonly redis: Redis,
    queuePrefix: string,
    readonly endpointId: string,
  ) {
    this.base = endpointBase(queuePrefix, endpointId);
  }

  /** 1 = queued, 0 = taken from the stream before (a re-read), -1 = this process no longer holds the intake. */
  async accept(
    token: string,
    eventId: string,
    entryId: string,
    slot: string,
    acceptedTtlMs: number,
  ): Promise<number> {
    const r = await ACCEPT.run(
      this.redis,
      [],
      [
        this.base,
        token,
        eventId,
        queueItem(entryId, eventId),
        slot,
        entryTimeMs(entryId),
        Date.now(),
        acceptedTtlMs,
      ],
    );
    return Number(r);
  }

  /** Up to `max` (in flight across processes) persons' first events, leased for leaseMs. */
  async claim(
    max: number,
    leaseMs: number,
    tokenPrefix: string,
  ): Promise<{ claimed: Claimed[]; nextDue: number | null }> {
    const r = (await CLAIM.run(this.redis, [], [this.base, Date.now(), max, leaseMs, tokenPrefix])) as (
      string | number
    )[];
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
    const r = await COMPLETE.run(
      this.redis,
      [],
      [
        this.base,
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
    return Number(await INTAKE_LEASE.run(this.redis, [], [this.base, token, leaseMs])) === 1;
  }

  async releaseIntake(token: string): Promise<void> {
    await INTAKE_RELEASE.run(this.redis, [], [this.base, token]);
  }

  async disable(reason: string): Promise<void> {
    const d: Disabled = { reason, at: Date.now() };
    await this.redis.set(`${this.base}:disabled`, JSON.stringify(d));
  }

  /** Enables the endpoint; persons whose retry was pending are due at once. */
  async enable(): Promise<boolean> {
    return (await this.redis.del(`${this.base}:disabled`)) === 1;
  }

  async disabled(): Promise<Disabled | null> {
    return parseJson<Disabled>(await this.redis.get(`${this.base}:disabled`));
  }

  async deadLetters(): Promise<DeadLetter[]> {
    const all = await this.redis.hvals(`${this.base}:dead`);
    return all
      .map((t) => parseJson<DeadLetter>(t))
      .filter((d): d is DeadLetter => d !== null)
      .sort((a, b) => (a.entryId < b.entryId ? -1 : a.entryId > b.entryId ? 1 : 0));
  }

  /** True when the dead letter existed and is queued again (at the end of its person's queue). */
  async replayDead(eventId: string): Promise<boolean> {
    return Number(await REPLAY_DEAD.run(this.redis, [], [this.base, eventId, Date.now()])) === 1;
  }

  /** Queues an event again by its stream entry (a replay of an event that was delivered). */
  async enqueue(entryId: string, eventId: string, slot: string): Promise<void> {
    await ENQUEUE.run(
      this.redis,
      [],
      [this.base, queueItem(entryId, eventId), slot, entryTimeMs(entryId), Date.now()],
    );
  }

  /** Undelivered events and the stream time of the oldest. */
  async backlog(): Promise<{ count: number; oldestMs: number | null }> {
    const [count, oldest] = await Promise.all([
      this.redis.zcard(`${this.base}:backlog`),
      this.redis.zrange(`${this.base}:backlog`, 0, 0, 'WITHSCORES'),
    ]);
    return { count, oldestMs: oldest[1] === undefined ? null : Number(oldest[1]) };
  }

  async deadCount(): Promise<number> {
    return this.redis.hlen(`${this.base}:dead`);
  }
}
