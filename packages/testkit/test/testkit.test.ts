import Redis from 'ioredis';
import { deleteKeysWithPrefix, startRedisServer, uniqueName, waitFor, WaitTimeoutError } from '../src';

describe('testkit', () => {
  it('gives unique, BullMQ-safe names', () => {
    const names = new Set(Array.from({ length: 100 }, () => uniqueName('x')));
    expect(names.size).toBe(100);
    for (const n of names) expect(n).toMatch(/^x-[0-9a-z]+-[0-9a-f]{8}$/);
  });

  it('waitFor returns the first truthy value and times out with what it waited for', async () => {
    let n = 0;
    expect(await waitFor('n to reach 3', () => (++n >= 3 ? n : undefined), { intervalMs: 1 })).toBe(3);
    await expect(waitFor('never', () => false, { timeoutMs: 50, intervalMs: 5 })).rejects.toThrow(
      new WaitTimeoutError('timed out after 50 ms waiting for never'),
    );
  });

  it('runs a private redis-server that can be killed and restarted, and cleans keys by prefix', async () => {
    const own = await startRedisServer();
    const redis = new Redis(own.url, { maxRetriesPerRequest: 1 });
    redis.on('error', () => undefined);
    try {
      await redis.set('a:1', '1');
      await redis.set('a:2', '1');
      await redis.set('b:1', '1');
      expect(await deleteKeysWithPrefix(redis, 'a:')).toBe(2);
      expect(await redis.keys('*')).toEqual(['b:1']);
      await own.kill();
      await expect(redis.ping()).rejects.toThrow();
      await own.start();
      expect(await waitFor('ping', () => redis.ping().catch(() => undefined))).toBe('PONG');
    } finally {
      redis.disconnect();
      await own.stop();
    }
  });
});
