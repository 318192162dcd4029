/**
 * The exactly-once dispatch, atomic in one Lua script (Redis >= 7: the shebang makes Redis refuse
 * the whole script up front under OOM instead of failing half-way).
 *
 * KEYS[1]    dispatched marker of the event id
 * KEYS[2..n] target streams, the main stream first
 * ARGV       ttl seconds, maxlen (0 = no trimming), then the entry's field/value pairs
 *            (streamEntryFields in @cprh/besked, which owns the names: the script knows none)
 *
 * Order matters even inside an atomic script: Redis does not roll back a script that fails
 * half-way, so the marker is written LAST. Were it written first (SET NX, then XADD) a failing
 * XADD would leave an event marked as dispatched that no stream holds. Stream key types are
 * checked before any write so no XADD can fail after another one succeeded.
 * Returns {1, entryId} when written now, {0, entryId} when it had been dispatched before.
 */
export const DISPATCH_LUA = `#!lua
local done = redis.call('GET', KEYS[1])
if done then
  return {0, done}
end
for i = 2, #KEYS do
  local t = redis.call('TYPE', KEYS[i])['ok']
  if t ~= 'none' and t ~= 'stream' then
    return redis.error_reply('WRONGTYPE target ' .. KEYS[i] .. ' is a ' .. t .. ', not a stream')
  end
end
local maxlen = tonumber(ARGV[2])
local first
for i = 2, #KEYS do
  local id
  if maxlen > 0 then
    id = redis.call('XADD', KEYS[i], 'MAXLEN', '~', maxlen, '*', unpack(ARGV, 3))
  else
    id = redis.call('XADD', KEYS[i], '*', unpack(ARGV, 3))
  end
  if i == 2 then first = id end
end
redis.call('SET', KEYS[1], first, 'EX', ARGV[1])
return {1, first}
`;
