import type { RedisConnection as Redis } from './redis-connections';
import type { Config } from '@cprh/config';
import type { Readiness } from '@cprh/runtime';

/**
 * Reads, in one round trip, what says whether the inbox moves (BullMQ's own keys). Every key it
 * touches is in KEYS (a Redis Cluster routes by them): the oldest waiting job's hash is read after
 * it, with its id from this reply.
 */
export const READ_INBOX_PROGRESS_LUA = `
local waiting = redis.call('LLEN', KEYS[1]) + redis.call('ZCARD', KEYS[2])
local last = 0
for _, set in ipairs({ KEYS[3], KEYS[4] }) do
  local top = redis.call('ZREVRANGE', set, 0, 0, 'WITHSCORES')
  if top[2] and tonumber(top[2]) > last then last = tonumber(top[2]) end
end
local id = redis.call('LINDEX', KEYS[1], -1)
return { waiting, tostring(last), id or '' }
`;

/**
 * Not ready when inbox jobs wait and nothing has finished (completed or failed into a dead letter)
 * for `stallSeconds`: workers gone, wedged or unable to reach Redis. The clock starts at the later
 * of the last finish and the oldest waiting job's arrival, so a burst after a quiet night is not a
 * wedge. A Redis error is a reason too.
 */
export async function checkInboxMoving(
  redis: Redis,
  pipeline: Config['pipeline'],
  stallSeconds: number,
  now: number = Date.now(),
): Promise<Readiness> {
  const base = `${pipeline.queuePrefix}:${pipeline.inboxQueue}:`;
  let reply: unknown;
  try {
    reply = await redis.eval(
      READ_INBOX_PROGRESS_LUA,
      4,
      `${base}wait`,
      `${base}prioritized`,
      `${base}completed`,
      `${base}failed`,
    );
  } catch (err) {
    return { ready: false, reason: `redis: ${(err as Error).message}` };
  }
  const [waitingRaw, lastRaw, oldestId] = reply as [number, string, string];
  const waiting = Number(waitingRaw);
  const last = Number(lastRaw);
  let oldest = 0;
  if (waiting > 0 && oldestId !== '') {
    // A job finished between the two reads has no timestamp any more: then `last` alone counts.
    try {
      oldest = Number((await redis.hget(`${base}${oldestId}`, 'timestamp')) ?? '0') || 0;
    } catch (err) {
      return { ready: false, reason: `redis: ${(err as Error).message}` };
    }
  }
  if (waiting === 0) return { ready: true };
  const since = Math.max(last, oldest);
  const idleSeconds = Math.floor((now - since) / 1000);
  if (idleSeconds < stallSeconds) return { ready: true };
  return {
    ready: false,
    reason: `inbox stalled: ${waiting} jobs waiting and none finished for ${idleSeconds} s (READY_STALL_SECONDS=${stallSeconds})`,
  };
}
