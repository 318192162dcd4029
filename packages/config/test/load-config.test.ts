import { loadConfig, ConfigError } from '../src';

describe('loadConfig', () => {
  it('applies defaults', () => {
    const c = loadConfig({});
    expect(c.redis.url).toBe('redis://127.0.0.1:6379');
    expect(c.amqp.url).toBe('amqp://guest:guest@127.0.0.1:5672');
  });
  it('names the bad setting', () => {
    expect(() => loadConfig({ REDIS_URL: 'http://x' })).toThrow(ConfigError);
    expect(() => loadConfig({ REDIS_URL: 'http://x' })).toThrow(/^Invalid setting REDIS_URL: /);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });
  it('treats empty strings as unset', () => {
    expect(loadConfig({ REDIS_URL: '' }).redis.url).toBe('redis://127.0.0.1:6379');
  });
});
