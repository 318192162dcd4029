import {
  loadConfig,
  ConfigError,
  SECTION_NAMES,
  configLoader,
  defineSection,
  positiveInt,
  productSections,
  settingNames,
} from '../src';

describe('loadConfig', () => {
  it('applies defaults', () => {
    const c = loadConfig(SECTION_NAMES, {});
    expect(c.redis.url).toBe('redis://127.0.0.1:6379');
    expect(c.amqp.url).toBe('amqp://guest:guest@127.0.0.1:5672');
  });
  it('names the bad setting', () => {
    expect(() => loadConfig(SECTION_NAMES, { REDIS_URL: 'http://x' })).toThrow(ConfigError);
    expect(() => loadConfig(SECTION_NAMES, { REDIS_URL: 'http://x' })).toThrow(
      /^Invalid setting REDIS_URL: /,
    );
    expect(() => loadConfig(SECTION_NAMES, { LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });
  it('treats empty strings as unset', () => {
    expect(loadConfig(SECTION_NAMES, { REDIS_URL: '' }).redis.url).toBe('redis://127.0.0.1:6379');
  });
});

describe('loadConfig(sections)', () => {
  it('returns only the named sections', () => {
    const c = loadConfig(['redis', 'log'], {});
    expect(Object.keys(c).sort()).toEqual(['log', 'redis']);
  });
  it('neither reads nor checks the settings of other sections', () => {
    const env = { LOG_LEVEL: 'loud', BOARD_PORT: '70000', REDIS_URL: 'redis://10.0.0.1:6379' };
    expect(loadConfig(['redis', 'pipeline'], env).redis.url).toBe('redis://10.0.0.1:6379');
    expect(() => loadConfig(['redis', 'board'], env)).toThrow(/^Invalid setting BOARD_PORT: /);
  });
  it('refuses a section name it does not know (a caller outside TypeScript)', () => {
    expect(() => loadConfig(['redis', 'nope' as 'redis'], {})).toThrow(ConfigError);
  });
  it('lists every section in SECTION_NAMES', () => {
    expect(Object.keys(loadConfig(SECTION_NAMES, {})).sort()).toEqual([...SECTION_NAMES].sort());
  });
});

describe('configLoader', () => {
  it('loads a map that extends the product sections with the same mechanism', () => {
    const extra = defineSection({
      env: { EXTRA_PORT: positiveInt.default(1) },
      build: (e) => ({ port: e.EXTRA_PORT }),
    });
    const loader = configLoader({ ...productSections, extra });
    expect(loader.load(['extra', 'redis'], { EXTRA_PORT: '7' }).extra.port).toBe(7);
    expect(() => loader.load(['extra'], { EXTRA_PORT: '0' })).toThrow(
      /^Invalid setting EXTRA_PORT: must be > 0/,
    );
    expect(loader.settingNames()).toEqual([...settingNames(), 'EXTRA_PORT']);
    expect(loader.sectionNames).toEqual([...SECTION_NAMES, 'extra']);
  });
});
