/**
 * The exactly-once dispatch of a batch of events, atomic in one Lua script (Redis >= 7: the shebang
 * makes Redis refuse the whole script up front under OOM instead of failing half-way). One call
 * carries every event the worker had ready in one turn of its event loop: one round trip and one
 * socket write for all of them, where one call per event cost more than the parsing (`pnpm bench`).
 *
 * KEYS  per event: its dispatched marker, then its target streams (the main stream first)
 * ARGV  ttl seconds, maxlen (0 = no trimming), number of events, entry width (field/value items
 *       per entry); then per event: its number of target streams, then its entry's field/value
 *       pairs (streamEntryFields in @cprh/besked, which owns the names: the script knows none)
 *
 * Per event, order matters even inside an atomic script: Redis does not roll back a script that
 * fails half-way, so the marker is written LAST. Were it written first (SET NX, then XADD) a failing
 * XADD would leave an event marked as dispatched that no stream holds. Stream key types are
 * checked before any write so no XADD can fail after another one succeeded; a wrong type fails
 * that event alone, and the others of the batch are written.
 * Returns per event {1, entryId} when written now, {0, entryId} when it had been dispatched
 * before (also earlier in the same batch), {-1, reason} when a target is not a stream.
 */
export const DISPATCH_LUA = `#!lua
local ttl = ARGV[1]
local maxlen = tonumber(ARGV[2])
local n = tonumber(ARGV[3])
local width = tonumber(ARGV[4])
local streams = {}
local out = {}
local k0 = 1
local a0 = 5
for e = 1, n do
  local k = tonumber(ARGV[a0])
  local marker = KEYS[k0]
  local done = redis.call('GET', marker)
  if done then
    out[e] = {0, done}
  else
    local bad
    for i = k0 + 1, k0 + k do
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
      local first
      for i = k0 + 1, k0 + k do
        local id
        if maxlen > 0 then
          id = redis.call('XADD', KEYS[i], 'MAXLEN', '~', maxlen, '*', unpack(ARGV, a0 + 1, a0 + width))
        else
          id = redis.call('XADD', KEYS[i], '*', unpack(ARGV, a0 + 1, a0 + width))
        end
        if first == nil then first = id end
      end
      redis.call('SET', marker, first, 'EX', ttl)
      out[e] = {1, first}
    end
  end
  k0 = k0 + 1 + k
  a0 = a0 + 1 + width
end
return out
`;
