import { loadConfig, SECTION_NAMES } from '../src';

describe('pipeline, poller and worker settings', () => {
  it('has safe defaults', () => {
    const c = loadConfig(SECTION_NAMES, {});
    expect(c.pipeline.seqKey).toBe('cprh:inbox:seq');
    expect(c.pipeline.dispatchedKeyPrefix).toBe('cprh:dispatched:');
    expect(c.pipeline.dispatchedTtlSeconds).toBe(2592000);
    expect(c.pipeline.eventsMaxLen).toBe(0);
    expect(c.pipeline.routes).toEqual([]);
    expect(c.pipeline.fault).toEqual({ point: 'off', at: 1 });
    expect(c.poller.mode).toBe('consume');
    expect(c.poller.pollMaxMessages).toBe(0);
    expect(c.poller.dueslagQueue).toBe('11111111-2222-4333-8444-555555555555');
    expect(c.worker.concurrency).toBeGreaterThan(0);
  });

  it('parses ROUTES', () => {
    const c = loadConfig(SECTION_NAMES, { ROUTES: 'foedsel=cpr:events:foedsel, beskedtype:ABC-1=s2' });
    expect(c.pipeline.routes).toEqual([
      { kind: 'event', event: 'foedsel', stream: 'cpr:events:foedsel' },
      { kind: 'beskedtype', beskedtype: 'abc-1', stream: 's2' },
    ]);
  });

  it('trims every stream by age (14 days unless a stream has its own) and purges dead letters after 30 days', () => {
    expect(loadConfig(SECTION_NAMES, {}).pipeline).toMatchObject({
      retainedStreams: [{ stream: 'cpr:events', maxAgeSeconds: 1209600 }],
      eventsMaxAgeWarnSeconds: 172800,
      deadLetterMaxAgeSeconds: 2592000,
      deadLetterExpiryWarnSeconds: 604800,
    });
    const c = loadConfig(SECTION_NAMES, {
      ROUTES: 'foedsel=s:f,doedsfald=s:d',
      EVENTS_MAX_AGE_SECONDS: '3600',
      ROUTES_MAX_AGE_SECONDS: 's:f=60, s:d=0',
    });
    expect(c.pipeline.retainedStreams).toEqual([
      { stream: 'cpr:events', maxAgeSeconds: 3600 },
      { stream: 's:f', maxAgeSeconds: 60 },
      { stream: 's:d', maxAgeSeconds: 0 },
    ]);
    expect(loadConfig(SECTION_NAMES, {}).worker).toMatchObject({
      keepCompletedBytesSeconds: 0,
      retentionIntervalSeconds: 10,
    });
  });

  it.each([
    [{ ROUTES_MAX_AGE_SECONDS: 's:f=soon' }, /^Invalid setting ROUTES_MAX_AGE_SECONDS: /],
    [{ EVENTS_MAX_AGE_SECONDS: '-1' }, /^Invalid setting EVENTS_MAX_AGE_SECONDS: /],
    [{ ROUTES: 'foedsel' }, /^Invalid setting ROUTES: /],
    [{ ROUTES: 'Fødsel=x' }, /^Invalid setting ROUTES: /],
    [{ INBOX_QUEUE: 'a:b' }, /^Invalid setting INBOX_QUEUE: /],
    [{ POLLER_MODE: 'push' }, /^Invalid setting POLLER_MODE: /],
    [{ POLLER_POLL_MAX_MESSAGES: '-1' }, /^Invalid setting POLLER_POLL_MAX_MESSAGES: /],
    [{ POLLER_PREFETCH: '10', POLLER_BATCH_SIZE: '20' }, /^Invalid setting POLLER_BATCH_SIZE: /],
    [{ FAULT_INJECT: 'boom' }, /^Invalid setting FAULT_INJECT: /],
    [{ WORKER_CONCURRENCY: '0' }, /^Invalid setting WORKER_CONCURRENCY: /],
    [{ DISPATCHED_TTL_SECONDS: 'soon' }, /^Invalid setting DISPATCHED_TTL_SECONDS: /],
  ])('rejects %j', (env, message) => {
    expect(() => loadConfig(SECTION_NAMES, env)).toThrow(message);
  });
});
