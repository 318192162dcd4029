import Redis from 'ioredis';

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

/**
 * Connects to `url` only to delete the keys under `prefix`; a server that is already gone (a test's
 * private Redis) is fine, there is nothing to clean there.
 */
export async function deleteKeysAt(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, {
    maxRetriesPerRequest: 1,
    lazyConnect: true,
    // A refused connect would otherwise leave ioredis's 2 s disconnect timer behind.
    disconnectTimeout: 0,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await deleteKeysWithPrefix(redis, prefix);
  } catch {
    // Already gone.
  } finally {
    redis.disconnect();
  }
}
