/*
 * The order gate's Lua scripts, besides the gate inside DISPATCH_LUA (dispatch-script.ts). Every
 * key a script touches comes in KEYS (built by order-keys.ts from QUEUE_PREFIX), none is built
 * inside a script, so with a hash tag in the prefix they all share the inbox's Cluster slot.
 *
 * Per person (the person key: a hash of the first CPR number, else the job id):
 *   <prefix>:order:<person>          ZSET pending: member = inbox job id, score = seq. An event may
 *                                    enter the streams only when no member has a lower score.
 *   <prefix>:order:<person>:gaps     ZSET gaps: events of the person not delivered although later
 *                                    ones were (dead-lettered, or a stale head); member = original
 *                                    job id, score = seq. An event after a gap carries orderbroken.
 *   <prefix>:order:<person>:missing  STRING "<job id>|<epoch ms>": since when the head has no job.
 * Empty sorted sets disappear by themselves (Redis deletes an empty key).
 */

/**
 * A job leaves the order for good without being delivered (dead letter): it is removed from its
 * person's pending set, which releases the person's later events, and recorded as a gap so they
 * carry orderbroken. A job that was not pending (delivered before, a replay, an old job) adds no gap.
 *
 * KEYS  pending set, gaps set
 * ARGV  job id, gap id (the original job id), seq, ttl seconds
 * Returns {1 when it was pending else 0, the new head of the pending set ('' when none) to wake}.
 */
export const RELEASE_LUA = `#!lua
local released = redis.call('ZREM', KEYS[1], ARGV[1])
if released == 1 then
  redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])
  redis.call('EXPIRE', KEYS[2], ARGV[4])
end
local head = redis.call('ZRANGE', KEYS[1], 0, 0)
return {released, head[1] or ''}
`;

/**
 * A waiting job looks at the head that blocks it. The head's job may be alive (waiting, active,
 * delayed for a retry: wait), finished without having left the set (failed and its worker died
 * before the release; completed without dispatch: released now, a failure as a gap), or absent:
 * registered at persist time but its job never added (the poller died between the two writes).
 * A redelivery adds that job with the registered seq; when none comes for `staleMs` the head is
 * released as a gap.
 *
 * KEYS  pending set, gaps set, missing marker, the head's inbox job key, the inbox's failed set
 * ARGV  head job id, staleMs, ttl seconds of the gaps set
 * Returns 0 the head is gone already, 1 wait, 2 released a finished head, 3 released a stale head.
 */
export const HEAD_CHECK_LUA = `#!lua
local h = ARGV[1]
local score = redis.call('ZSCORE', KEYS[1], h)
local m = redis.call('GET', KEYS[3])
local mine = m and string.sub(m, 1, #h + 1) == h .. '|'
if not score then
  if mine then redis.call('DEL', KEYS[3]) end
  return 0
end
if redis.call('EXISTS', KEYS[4]) == 1 then
  if mine then redis.call('DEL', KEYS[3]) end
  if redis.call('HEXISTS', KEYS[4], 'finishedOn') == 0 then return 1 end
  redis.call('ZREM', KEYS[1], h)
  if redis.call('ZSCORE', KEYS[5], h) then
    redis.call('ZADD', KEYS[2], score, h)
    redis.call('EXPIRE', KEYS[2], ARGV[3])
  end
  return 2
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local stale = tonumber(ARGV[2])
if not mine then
  redis.call('SET', KEYS[3], h .. '|' .. now, 'PX', stale * 2 + 60000)
  return 1
end
if now - tonumber(string.sub(m, #h + 2)) < stale then return 1 end
redis.call('ZREM', KEYS[1], h)
redis.call('ZADD', KEYS[2], score, h)
redis.call('EXPIRE', KEYS[2], ARGV[3])
redis.call('DEL', KEYS[3])
return 3
`;

/**
 * Wakes a waiting (delayed) inbox job whose turn came: like BullMQ's promote, but to the FRONT of
 * the wait list (the end its workers take from), so a person's next event does not queue behind
 * a backlog once per event. A job that is not delayed (running, woken already) is left alone.
 * Written against BullMQ's key layout (bullmq is pinned; its tests run these keys): the delayed
 * set, the wait list, the queue meta (paused), the marker workers block on, the job hash.
 *
 * KEYS  delayed, wait, meta, marker, job key
 * ARGV  job id
 * Returns 1 when woken, 0 when the job was not delayed.
 */
export const WAKE_LUA = `#!lua
if redis.call('ZREM', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('RPUSH', KEYS[2], ARGV[1])
if not redis.call('HGET', KEYS[3], 'paused') then redis.call('ZADD', KEYS[4], 0, '0') end
redis.call('HSET', KEYS[5], 'delay', 0)
return 1
`;
