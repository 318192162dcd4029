/**
 * The exactly-once, in-order dispatch of a batch of events, atomic in one Lua script (Redis >= 7:
 * the shebang makes Redis refuse the whole script up front under OOM instead of failing half-way).
 * One call carries every event the worker had ready in one turn of its event loop: one round trip
 * and one socket write for all of them, where one call per event cost more than the parsing
 * (`pnpm bench`).
 *
 * KEYS  per event: its dispatched marker, its person's pending and gaps sets (order-scripts.ts),
 *       then its target streams (the main stream first)
 * ARGV  ttl seconds, maxlen (0 = no trimming), number of events, entry width (field/value items
 *       per entry), position of the CloudEvent JSON in an entry; then per event: its number of
 *       target streams, job id, seq, gap id, replay (1/0), then its entry's field/value pairs
 *       (streamEntryFields in @cprh/besked, which owns the names: the script knows none)
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
 * Returns per event {1, entryId, next head, orderbroken 1/0} when written now, {0, entryId, next
 * head} when it had been dispatched before (also earlier in the same batch), {-1, reason} when a
 * target is not a stream, {-2, head job id, head seq} when an earlier event of the person is pending.
 */
export const DISPATCH_LUA = `#!lua
local ttl = ARGV[1]
local maxlen = tonumber(ARGV[2])
local n = tonumber(ARGV[3])
local width = tonumber(ARGV[4])
local evpos = tonumber(ARGV[5])
local streams = {}
local out = {}
local k0 = 1
local a0 = 6
local function nexthead(pending)
  local h = redis.call('ZRANGE', pending, 0, 0)
  return h[1] or ''
end
for e = 1, n do
  local k = tonumber(ARGV[a0])
  local marker, pending, gaps = KEYS[k0], KEYS[k0 + 1], KEYS[k0 + 2]
  local job, seq, gap = ARGV[a0 + 1], tonumber(ARGV[a0 + 2]), ARGV[a0 + 3]
  local f0 = a0 + 5
  local head = redis.call('ZRANGE', pending, 0, 0, 'WITHSCORES')
  if head[1] and head[1] ~= job and tonumber(head[2]) < seq then
    out[e] = {-2, head[1], head[2]}
  else
    local done = redis.call('GET', marker)
    if done then
      redis.call('ZREM', pending, job)
      redis.call('ZREM', gaps, gap)
      out[e] = {0, done, nexthead(pending)}
    else
      local bad
      for i = k0 + 3, k0 + 2 + k do
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
        for i = k0 + 3, k0 + 2 + k do
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
        out[e] = {1, first, nexthead(pending), broken and 1 or 0}
      end
    end
  end
  k0 = k0 + 3 + k
  a0 = a0 + 5 + width
end
return out
`;
