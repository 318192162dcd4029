import pino from 'pino';
import { freePort, startRedisServer, TEST_REDIS_URL } from '@cprh/testkit';
import { checkRedis, PipelineError } from '../src';

const silent = pino({ level: 'silent' });

describe('checkRedis', () => {
  it('accepts the shared noeviction Redis', async () => {
    const r = await checkRedis(TEST_REDIS_URL, silent);
    expect(r.maxmemoryPolicy).toBe('noeviction');
  });

  it('names the URL and how to start Redis when nothing listens', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const err = await checkRedis(url, silent).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PipelineError);
    expect((err as PipelineError).code).toBe('PIPELINE_REDIS_UNREACHABLE');
    expect((err as Error).message).toContain(url);
    expect((err as Error).message).toContain('redis-server');
    expect((err as Error).message).not.toContain('\n');
  });

  it('refuses a Redis that may evict keys, and warns when AOF is off', async () => {
    const own = await startRedisServer(['--maxmemory-policy', 'allkeys-lru']);
    try {
      const err = await checkRedis(own.url, silent).catch((e: unknown) => e);
      expect((err as PipelineError).code).toBe('PIPELINE_REDIS_EVICTS');
      expect((err as Error).message).toMatch(/maxmemory-policy allkeys-lru/);
    } finally {
      await own.stop();
    }
    const warnings: string[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => warnings.push(line) });
    const r = await checkRedis(TEST_REDIS_URL, log);
    if (!r.aofEnabled) expect(warnings.join('')).toMatch(/AOF off/);
  });
});
