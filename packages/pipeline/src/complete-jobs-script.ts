/**
 * Completes a batch of inbox jobs in one script call, and takes the next waiting job for each
 * slot that asks for one (JobCompleter). BullMQ 6.7 completes one job per call (its
 * moveToFinished, ~100 µs of Redis time per job and half of Redis's script time in `pnpm bench`);
 * this does the part of it inbox jobs use, on BullMQ's own keys, so BullMQ's Worker, stalled
 * check, board and retries see exactly what they would see after its own completion:
 *
 * - per job, only when its lock still holds the worker's token and it is in the active list
 *   (else a negative code, nothing changed, and the caller lets BullMQ's moveToFinished report it):
 *   lock deleted, out of the stalled set and the active list, into the completed set at `now`,
 *   `atm` + 1, `returnvalue` and `finishedOn` set, and `data` replaced by the job's metadata when
 *   the caller strips the message's bytes on completion (one write, where a strip call was a second);
 * - the next job, only on the plain path: the queue not paused, no global concurrency or rate
 *   limit, no prioritized job and no delayed job due. Otherwise, or when `wait` is empty, no next
 *   job is returned and the Worker fetches with BullMQ's own moveToActive, which handles all of it.
 *   A taken job gets what BullMQ gives one: the lock with the same token, `processedOn`, `ats` + 1;
 * - once per call, completed jobs older than the kept age are removed (at most 100 a call;
 *   inbox jobs have no children, logs aside, or deduplication keys);
 * - the marker is set while jobs wait, so a blocked worker wakes.
 * BullMQ's `active` and `completed` events are not written: nothing reads the inbox's event
 * stream, and they were a quarter of the bookkeeping bytes per message in the AOF.
 *
 * KEYS  active, stalled, completed, wait, delayed, prioritized, meta, marker; per job its key and
 *       its lock's key
 * ARGV  job key prefix, now (ms), lock ms, kept age ms (0: none removed), worker name ('' none),
 *       number of jobs; per job: id, token, returnvalue JSON, data ('' = unchanged), fetch next 1/0
 * The keys of the next job and of old completed jobs are built from the job key prefix, as BullMQ's
 * own scripts do: their ids are only known inside. The prefix carries the queue's hash tag, so on a
 * Redis Cluster they are in the script's slot (cluster-lua-scripts.test.ts runs it there).
 * Returns per job {code, next job's HGETALL or false, next job id or false}; code 0 completed,
 * -1 no such job, -2 lock missing, -6 lock held by another token, -3 not in the active list.
 */
export const COMPLETE_JOBS_LUA = `#!lua
local prefix, now, lockMs = ARGV[1], ARGV[2], ARGV[3]
local keepMs, name, n = tonumber(ARGV[4]), ARGV[5], tonumber(ARGV[6])
local fetchable
local function canFetch()
  if fetchable == nil then
    local m = redis.call('HMGET', KEYS[7], 'paused', 'concurrency', 'max')
    fetchable = not m[1] and not m[2] and not m[3] and redis.call('ZCARD', KEYS[6]) == 0
      and #redis.call('ZRANGEBYSCORE', KEYS[5], 0, (tonumber(now) + 1) * 0x1000 - 1, 'LIMIT', 0, 1) == 0
  end
  return fetchable
end
local out = {}
local a = 7
for i = 1, n do
  local id, token, rv, data, fetch = ARGV[a], ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4]
  a = a + 5
  local jobKey, lockKey = KEYS[7 + 2 * i], KEYS[8 + 2 * i]
  local code = 0
  if redis.call('EXISTS', jobKey) == 0 then
    code = -1
  else
    local lock = redis.call('GET', lockKey)
    if lock ~= token then
      code = lock and -6 or -2
    elseif redis.call('LREM', KEYS[1], -1, id) == 0 then
      code = -3
    else
      redis.call('DEL', lockKey)
      redis.call('SREM', KEYS[2], id)
      redis.call('ZADD', KEYS[3], now, id)
      redis.call('HINCRBY', jobKey, 'atm', 1)
      if data ~= '' then
        redis.call('HSET', jobKey, 'returnvalue', rv, 'finishedOn', now, 'data', data)
      else
        redis.call('HSET', jobKey, 'returnvalue', rv, 'finishedOn', now)
      end
    end
  end
  local nextJob, nextId = false, false
  if code == 0 and fetch == '1' and canFetch() then
    local nid = redis.call('RPOPLPUSH', KEYS[4], KEYS[1])
    if not nid then
      fetchable = false
    elseif string.sub(nid, 1, 2) == '0:' then
      -- A marker of BullMQ < 5 in the list: BullMQ drops it too; its own fetch carries on.
      redis.call('LREM', KEYS[1], 1, nid)
      fetchable = false
    else
      local nk = prefix .. nid
      redis.call('SET', nk .. ':lock', token, 'PX', lockMs)
      if name ~= '' then
        redis.call('HSET', nk, 'processedOn', now, 'pb', name)
      else
        redis.call('HSET', nk, 'processedOn', now)
      end
      redis.call('HINCRBY', nk, 'ats', 1)
      nextJob, nextId = redis.call('HGETALL', nk), nid
    end
  end
  out[i] = {code, nextJob, nextId}
end
if keepMs > 0 then
  local old = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', tonumber(now) - keepMs, 'LIMIT', 0, 100)
  for _, id in ipairs(old) do
    redis.call('DEL', prefix .. id, prefix .. id .. ':logs')
  end
  if #old > 0 then redis.call('ZREM', KEYS[3], unpack(old)) end
end
if redis.call('LLEN', KEYS[4]) > 0 then redis.call('ZADD', KEYS[8], 0, '0') end
return out
`;
