/**
 * The exactly-once, in-order dispatch of a batch of events, atomic in one Lua script (Redis >= 7:
 * the shebang makes Redis refuse the whole script up front under OOM instead of failing half-way).
 * One call carries every event the worker had ready in one turn of its event loop: one round trip
 * and one socket write for all of them, where one call per event cost more than the parsing
 * (`pnpm bench`). The same call completes each event's inbox job (below), so a job costs one round
 * trip, and with AOF `always` one fsync, instead of two.
 *
 * KEYS  with completion: the inbox's active, stalled, completed, wait, delayed, prioritized, meta,
 *       marker; then per event: its dispatched marker, its person's pending and gaps sets
 *       (order-scripts.ts), with completion its job's key and lock key, then its target streams
 *       (the main stream first)
 * ARGV  ttl seconds, maxlen (0 = no trimming), number of events, entry width (field/value items
 *       per entry), position of the CloudEvent JSON in an entry, number of queue keys (8 with
 *       completion, else 0), job key prefix, now (ms), lock ms, kept age ms (0: none removed),
 *       worker name ('' none); then per event: its number of target streams, job id, seq, gap id,
 *       replay (1/0), lock token ('' = do not complete), result JSON without its closing brace,
 *       data JSON without its closing brace ('' = data unchanged), take the next job (1/0), then
 *       its entry's field/value pairs (streamEntryFields in @cprh/besked, which owns the names)
 *
 * The gate: an event goes only when no other event of its person with a lower seq is pending;
 * else the reply names that head and nothing is written. Written (or found written before), it
 * leaves the pending set, and the reply names the person's next pending event (to be woken).
 * An event after a gap of its person (an earlier event dead-lettered or released as stale), or a
 * replay, gets `"orderbroken":true` in its CloudEvent, before `data`.
 *
 * Per event, order matters even inside an atomic script: Redis does not roll back a script that
 * fails half-way, so the marker is written after the XADDs (and the pending entry removed after
 * the marker). Were the marker written first (SET NX, then XADD) a failing XADD would leave an
 * event marked as dispatched that no stream holds. Stream key types are checked before any write
 * so no XADD can fail after another one succeeded; a wrong type fails that event alone, and the
 * others of the batch are written.
 *
 * Completion, for an event written now or before, when a lock token is given: what BullMQ 6.7's
 * moveToFinished does for an inbox job, on BullMQ's own keys, so its Worker, stalled check, board
 * and retries see what they would see after its own completion (BullMQ completes one job per call,
 * ~100 µs of Redis time each):
 * - only when the job's lock still holds the token and it is in the active list (else a negative
 *   code, the job untouched, and the worker lets BullMQ's moveToFinished report it): lock deleted,
 *   out of the stalled set and the active list, into the completed set at `now`, `atm` + 1,
 *   `returnvalue` (the given result plus `entryId` and `duplicate`) and `finishedOn` set, and
 *   `data` replaced by the job's metadata plus `entryId` when its bytes go on completion;
 * - the person's next pending job, when delayed waiting for its turn, moves to the wait list's
 *   front (what WAKE_LUA does, here in the same call);
 * - the next job for the slot, when asked and only on the plain path: the queue not paused, no
 *   global concurrency or rate limit, no prioritized job and no delayed job due. Otherwise, or
 *   when `wait` is empty, none is returned and the Worker fetches with BullMQ's own moveToActive.
 *   A taken job gets what BullMQ gives one: the lock with the same token, `processedOn`, `ats` + 1;
 * - once per call, completed jobs older than the kept age are removed (at most 100 a call; inbox
 *   jobs have no children, logs aside, or deduplication keys), and the marker is set while jobs
 *   wait, so a blocked worker wakes.
 * BullMQ's `active` and `completed` events are not written: nothing reads the inbox's event stream.
 * The keys of the next job, of a woken job and of old completed jobs are built from the job key
 * prefix, as BullMQ's own scripts do: their ids are only known inside. The prefix carries the
 * queue's hash tag, so on a Redis Cluster they are in the script's slot.
 *
 * Returns per event {1, entryId, next head, orderbroken 1/0, completion} when written now, {0,
 * entryId, next head, 0, completion} when it had been dispatched before (also earlier in the same
 * batch), {-1, reason} when a target is not a stream, {-2, head job id, head seq} when an earlier
 * event of the person is pending. `completion` is {code, next job's HGETALL or false, next job id
 * or false}; code 0 completed, 1 not asked, -1 no such job, -2
 * lock missing, -6 lock held by another token, -3 not in the active list.
 */
export const DISPATCH_LUA = `#!lua
local ttl = ARGV[1]
local maxlen = tonumber(ARGV[2])
local n = tonumber(ARGV[3])
local width = tonumber(ARGV[4])
local evpos = tonumber(ARGV[5])
local q = tonumber(ARGV[6])
local prefix, now, lockMs, keepMs, name = ARGV[7], ARGV[8], ARGV[9], tonumber(ARGV[10]), ARGV[11]
local c = q > 0 and 2 or 0
local streams = {}
local out = {}
local k0 = q + 1
local a0 = 12
local function nexthead(pending)
  local h = redis.call('ZRANGE', pending, 0, 0)
  return h[1] or ''
end
local fetchable
local function canFetch()
  if fetchable == nil then
    local m = redis.call('HMGET', KEYS[7], 'paused', 'concurrency', 'max')
    fetchable = not m[1] and not m[2] and not m[3] and redis.call('ZCARD', KEYS[6]) == 0
      and #redis.call('ZRANGEBYSCORE', KEYS[5], 0, (tonumber(now) + 1) * 0x1000 - 1, 'LIMIT', 0, 1) == 0
  end
  return fetchable
end
local function complete(jobKey, lockKey, id, token, rv, data)
  if redis.call('EXISTS', jobKey) == 0 then return -1 end
  local lock = redis.call('GET', lockKey)
  if lock ~= token then return lock and -6 or -2 end
  if redis.call('LREM', KEYS[1], -1, id) == 0 then return -3 end
  redis.call('DEL', lockKey)
  redis.call('SREM', KEYS[2], id)
  redis.call('ZADD', KEYS[3], now, id)
  redis.call('HINCRBY', jobKey, 'atm', 1)
  if data ~= '' then
    redis.call('HSET', jobKey, 'returnvalue', rv, 'finishedOn', now, 'data', data)
  else
    redis.call('HSET', jobKey, 'returnvalue', rv, 'finishedOn', now)
  end
  return 0
end
local function wake(id)
  if redis.call('ZREM', KEYS[5], id) == 0 then return end
  redis.call('RPUSH', KEYS[4], id)
  redis.call('HSET', prefix .. id, 'delay', 0)
end
local function takeNext(token)
  if not canFetch() then return false, false end
  local nid = redis.call('RPOPLPUSH', KEYS[4], KEYS[1])
  if not nid then
    fetchable = false
    return false, false
  end
  if string.sub(nid, 1, 2) == '0:' then
    -- A marker of BullMQ < 5 in the list: BullMQ drops it too; its own fetch carries on.
    redis.call('LREM', KEYS[1], 1, nid)
    fetchable = false
    return false, false
  end
  local nk = prefix .. nid
  redis.call('SET', nk .. ':lock', token, 'PX', lockMs)
  if name ~= '' then
    redis.call('HSET', nk, 'processedOn', now, 'pb', name)
  else
    redis.call('HSET', nk, 'processedOn', now)
  end
  redis.call('HINCRBY', nk, 'ats', 1)
  return redis.call('HGETALL', nk), nid
end
-- The completion part of an event's reply (see above); the dispatch has been written.
local function finish(kc, ac, entryId, duplicate, nh)
  local token = ARGV[ac]
  if q == 0 or token == '' then return {1, false, false} end
  local job = ARGV[ac - 4]
  local rv = ARGV[ac + 1] .. ',"entryId":"' .. entryId .. '","duplicate":' .. (duplicate and 'true' or 'false') .. '}'
  local data = ARGV[ac + 2]
  if data ~= '' then data = data .. ',"entryId":"' .. entryId .. '"}' end
  local code = complete(KEYS[kc], KEYS[kc + 1], job, token, rv, data)
  if code ~= 0 then return {code, false, false} end
  if nh ~= '' then wake(nh) end
  local nextJob, nextId = false, false
  if ARGV[ac + 3] == '1' then nextJob, nextId = takeNext(token) end
  return {0, nextJob, nextId}
end
for e = 1, n do
  local k = tonumber(ARGV[a0])
  local marker, pending, gaps = KEYS[k0], KEYS[k0 + 1], KEYS[k0 + 2]
  local s0 = k0 + 3 + c
  local job, seq, gap = ARGV[a0 + 1], tonumber(ARGV[a0 + 2]), ARGV[a0 + 3]
  local f0 = a0 + 9
  local head = redis.call('ZRANGE', pending, 0, 0, 'WITHSCORES')
  if head[1] and head[1] ~= job and tonumber(head[2]) < seq then
    out[e] = {-2, head[1], head[2]}
  else
    local done = redis.call('GET', marker)
    if done then
      redis.call('ZREM', pending, job)
      redis.call('ZREM', gaps, gap)
      local nh = nexthead(pending)
      out[e] = {0, done, nh, 0, finish(k0 + 3, a0 + 5, done, true, nh)}
    else
      local bad
      for i = s0, s0 + k - 1 do
        if not streams[KEYS[i]] then
          local t = redis.call('TYPE', KEYS[i])['ok']
          if t ~= 'none' and t ~= 'stream' then
            bad = 'WRONGTYPE target ' .. KEYS[i] .. ' is a ' .. t .. ', not a stream'
            break
          end
          streams[KEYS[i]] = true
        end
      end
      if bad then
        out[e] = {-1, bad}
      else
        local broken = ARGV[a0 + 4] == '1'
        local hasgaps = redis.call('EXISTS', gaps) == 1
        if hasgaps and not broken then
          local g = redis.call('ZRANGE', gaps, 0, 0, 'WITHSCORES')
          broken = tonumber(g[2]) < seq or redis.call('ZSCORE', gaps, gap) ~= false
        end
        local entry
        if broken then
          entry = {unpack(ARGV, f0, f0 + width - 1)}
          local ev = entry[evpos]
          local at = string.find(ev, ',"data":', 1, true)
          if at then
            entry[evpos] = string.sub(ev, 1, at - 1) .. ',"orderbroken":true' .. string.sub(ev, at)
          else
            entry[evpos] = '{"orderbroken":true,' .. string.sub(ev, 2)
          end
        end
        local first
        for i = s0, s0 + k - 1 do
          local id
          if entry then
            if maxlen > 0 then
              id = redis.call('XADD', KEYS[i], 'MAXLEN', '~', maxlen, '*', unpack(entry))
            else
              id = redis.call('XADD', KEYS[i], '*', unpack(entry))
            end
          elseif maxlen > 0 then
            id = redis.call('XADD', KEYS[i], 'MAXLEN', '~', maxlen, '*', unpack(ARGV, f0, f0 + width - 1))
          else
            id = redis.call('XADD', KEYS[i], '*', unpack(ARGV, f0, f0 + width - 1))
          end
          if first == nil then first = id end
        end
        redis.call('SET', marker, first, 'EX', ttl)
        redis.call('ZREM', pending, job)
        if hasgaps then redis.call('ZREM', gaps, gap) end
        local nh = nexthead(pending)
        out[e] = {1, first, nh, broken and 1 or 0, finish(k0 + 3, a0 + 5, first, false, nh)}
      end
    end
  end
  k0 = s0 + k
  a0 = f0 + width
end
if q > 0 then
  if keepMs > 0 then
    local old = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', tonumber(now) - keepMs, 'LIMIT', 0, 100)
    for _, id in ipairs(old) do
      redis.call('DEL', prefix .. id, prefix .. id .. ':logs')
    end
    if #old > 0 then redis.call('ZREM', KEYS[3], unpack(old)) end
  end
  if redis.call('LLEN', KEYS[4]) > 0 and not redis.call('HGET', KEYS[7], 'paused') then
    redis.call('ZADD', KEYS[8], 0, '0')
  end
end
return out
`;
