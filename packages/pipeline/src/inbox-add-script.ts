/**
 * The way into the inbox, one script call per batch of received messages (InboxWriter): each
 * message gets its receive sequence number, its place in its person's order, and its BullMQ job,
 * atomically. BullMQ 6.7 adds one job per script call (addStandardJob, a fifth of Redis's script
 * time per message in `pnpm bench`) after a separate call registered the order; a crash between
 * the two could leave a registered head without a job.
 *
 * Per message:
 * - a message whose inbox job exists already (a redelivery) is left alone: the job keeps its data
 *   and, after its dispatch, it left the pending set and must not enter it again. The reply says
 *   whether that job is a failed one (dead-lettered before: the writer logs it);
 * - else INCRBY's next seq, ZADD NX into the person's pending set (a message registered before,
 *   by an older writer that crashed before its job was stored, keeps its first seq), and the job
 *   hash as BullMQ's addStandardJob writes it (name, data, opts, timestamp, delay 0, priority 0),
 *   its id pushed on `wait`. The data is the writer's JSON without its closing brace: the script
 *   adds `seq`, and `behind: true` when an earlier event of the person was pending (else nothing
 *   can block it later, as every later registration gets a higher seq, so the worker skips its
 *   look at the gate before parsing).
 * The marker wakes blocked workers unless the queue is paused. BullMQ's `added` and `waiting`
 * events are not written: nothing reads the inbox's event stream.
 *
 * KEYS  seq counter, wait, meta, marker, failed; then per message: its pending set, its job key
 * ARGV  number of messages, ttl seconds of a pending set, timestamp (ms), job name; then per
 *       message: job id, opts JSON, data JSON without its closing brace
 * Returns per message 0 stored now, 1 its job existed, 2 its job existed as a failed job.
 */
export const INBOX_ADD_LUA = `#!lua
local n = tonumber(ARGV[1])
local ttl, now, name = ARGV[2], ARGV[3], ARGV[4]
local first = redis.call('INCRBY', KEYS[1], n) - n
local out = {}
local added = 0
for i = 1, n do
  local pending, jobKey = KEYS[4 + 2 * i], KEYS[5 + 2 * i]
  local id, opts, head = ARGV[2 + 3 * i], ARGV[3 + 3 * i], ARGV[4 + 3 * i]
  if redis.call('EXISTS', jobKey) == 1 then
    out[i] = redis.call('ZSCORE', KEYS[5], id) and 2 or 1
  else
    local seq = first + i
    if redis.call('ZADD', pending, 'NX', seq, id) == 1 then
      redis.call('EXPIRE', pending, ttl)
    else
      seq = tonumber(redis.call('ZSCORE', pending, id))
    end
    local behind = ''
    if redis.call('ZRANK', pending, id) > 0 then behind = ',"behind":true' end
    redis.call('HSET', jobKey, 'name', name, 'data', head .. ',"seq":' .. string.format('%d', seq) .. behind .. '}',
      'opts', opts, 'timestamp', now, 'delay', 0, 'priority', 0)
    redis.call('LPUSH', KEYS[2], id)
    added = added + 1
    out[i] = 0
  end
end
if added > 0 and redis.call('HEXISTS', KEYS[3], 'paused') == 0 then
  redis.call('ZADD', KEYS[4], 0, '0')
end
return out
`;
