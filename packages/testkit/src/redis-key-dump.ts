import type Redis from 'ioredis';

/** One key and everything it holds as text (hash fields and values, list items, stream entries). */
export interface KeyDump {
  key: string;
  type: string;
  text: string;
}

/**
 * Every key under `prefix` with its whole content as text, for tests that prove what Redis keeps
 * (e.g. that no CPR number is left outside the streams and the dead letters).
 */
export async function dumpKeys(redis: Redis, prefix: string): Promise<KeyDump[]> {
  const match = prefix.replace(/[*?[\]\\]/g, '\\$&') + '*';
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, page] = await redis.scan(cursor, 'MATCH', match, 'COUNT', 1000);
    cursor = next;
    keys.push(...page);
  } while (cursor !== '0');
  const out: KeyDump[] = [];
  for (const key of [...new Set(keys)].sort()) {
    const type = await redis.type(key);
    const parts: string[] = [key];
    if (type === 'string') parts.push((await redis.get(key)) ?? '');
    else if (type === 'hash') parts.push(...Object.entries(await redis.hgetall(key)).flat());
    else if (type === 'list') parts.push(...(await redis.lrange(key, 0, -1)));
    else if (type === 'set') parts.push(...(await redis.smembers(key)));
    else if (type === 'zset') parts.push(...(await redis.zrange(key, 0, -1, 'WITHSCORES')));
    else if (type === 'stream') {
      for (const [id, fields] of await redis.xrange(key, '-', '+')) parts.push(id, ...fields);
    }
    out.push({ key, type, text: parts.join('\n') });
  }
  return out;
}
