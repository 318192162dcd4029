import type Redis from 'ioredis';

/** Deletes every key starting with `prefix` (SCAN + UNLINK: never FLUSH a shared server). */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  const match = prefix.replace(/[*?[\]\\]/g, '\\$&') + '*';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', match, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}
