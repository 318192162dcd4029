import Redis from 'ioredis';
import { loadConfig } from '@cprh/config';
import { pipelineTestEnv, TEST_REDIS_URL, type PipelineTestEnv } from '@cprh/testkit';
import { DEFAULT_EVENTS_STREAM, STREAM_FIELDS } from '@cprh/besked';
import { EventDispatcher, MAX_DISPATCH_BATCH, PipelineError } from '../src';

/** Counts the script calls the dispatcher sends on this client (they still run on the real Redis). */
function countScriptCalls(redis: Redis): () => number {
  const sha = jest.spyOn(redis, 'evalsha');
  const lua = jest.spyOn(redis, 'eval');
  return () => sha.mock.calls.length + lua.mock.calls.length;
}
describe('EventDispatcher (real Redis)', () => {
  let t: PipelineTestEnv;
  let redis: Redis;

  beforeEach(async () => {
    redis = new Redis(TEST_REDIS_URL);
  });
  afterEach(async () => {
    await t.cleanup();
    redis.disconnect();
  });

  const event = (id: string) => ({ id, type: 'dk.kombit.cpr.personhaendelse', source: 's', data: { x: 1 } });

  it('writes an event once however often it is dispatched', async () => {
    t = pipelineTestEnv();
    const cfg = loadConfig(['pipeline'], t.env).pipeline;
    const d = new EventDispatcher(redis, cfg);
    const first = await d.dispatch(event('e1'), 7, { eventNames: [], beskedtype: undefined });
    const again = await Promise.all(
      [1, 2, 3].map(() => d.dispatch(event('e1'), 7, { eventNames: [], beskedtype: undefined })),
    );
    expect(first.written).toBe(true);
    expect(again.map((r) => r.written)).toEqual([false, false, false]);
    expect(again.every((r) => r.entryId === first.entryId)).toBe(true);
    const entries = await redis.xrange(t.stream, '-', '+');
    expect(entries).toHaveLength(1);
    const fields = entries[0]?.[1] ?? [];
    const rec = Object.fromEntries(
      fields.flatMap((_, i) => (i % 2 === 0 ? [[fields[i], fields[i + 1]]] : [])),
    );
    expect(rec).toEqual({
      event: JSON.stringify(event('e1')),
      id: 'e1',
      type: 'dk.kombit.cpr.personhaendelse',
      seq: '7',
    });
    // In the contract's order, with the names besked defines.
    expect(fields.filter((_, i) => i % 2 === 0)).toEqual(Object.values(STREAM_FIELDS));
    const ttl = await redis.ttl(`${cfg.dispatchedKeyPrefix}e1`);
    expect(ttl).toBeGreaterThan(cfg.dispatchedTtlSeconds - 10);
  });

  it('copies to matching routes exactly once, trimming when MAXLEN is set', async () => {
    t = pipelineTestEnv();
    const foedsel = `${t.prefix}:foedsel`;
    const bt = `${t.prefix}:bt`;
    const cfg = loadConfig(['pipeline'], {
      ...t.env,
      ROUTES: `foedsel=${foedsel},beskedtype:ABC=${bt},doedsfald=${t.prefix}:doed,foedsel=${bt}`,
      EVENTS_MAXLEN: '5',
    }).pipeline;
    const d = new EventDispatcher(redis, cfg);
    const r = await d.dispatch(event('e2'), 1, { eventNames: ['foedsel'], beskedtype: 'abc' });
    await d.dispatch(event('e2'), 1, { eventNames: ['foedsel'], beskedtype: 'abc' });
    expect(r.streams).toEqual([t.stream, foedsel, bt]);
    expect(await redis.xlen(foedsel)).toBe(1);
    expect(await redis.xlen(bt)).toBe(1);
    expect(await redis.exists(`${t.prefix}:doed`)).toBe(0);
    for (let i = 0; i < 300; i++)
      await d.dispatch(event(`m${i}`), i, { eventNames: [], beskedtype: undefined });
    // MAXLEN ~ trims whole macro nodes: far below 301 but at least 5.
    const len = await redis.xlen(t.stream);
    expect(len).toBeGreaterThanOrEqual(5);
    expect(len).toBeLessThan(301);
  });

  it('writes nothing and marks nothing when a target is not a stream', async () => {
    t = pipelineTestEnv();
    const bad = `${t.prefix}:bad`;
    await redis.set(bad, 'x');
    const cfg = loadConfig(['pipeline'], { ...t.env, ROUTES: `foedsel=${bad}` }).pipeline;
    const d = new EventDispatcher(redis, cfg);
    await expect(
      d.dispatch(event('e3'), 1, { eventNames: ['foedsel'], beskedtype: undefined }),
    ).rejects.toThrow(PipelineError);
    expect(await redis.exists(t.stream)).toBe(0);
    expect(await redis.exists(`${cfg.dispatchedKeyPrefix}e3`)).toBe(0);
  });

  it('sends the events of one turn in one script call, each with its own result', async () => {
    t = pipelineTestEnv();
    const bad = `${t.prefix}:bad`;
    await redis.set(bad, 'x');
    const cfg = loadConfig(['pipeline'], { ...t.env, ROUTES: `foedsel=${bad}` }).pipeline;
    const d = new EventDispatcher(redis, cfg);
    const calls = countScriptCalls(redis);
    const plain = { eventNames: [], beskedtype: undefined };
    const results = await Promise.allSettled([
      d.dispatch(event('b1'), 1, plain),
      d.dispatch(event('b2'), 2, { eventNames: ['foedsel'], beskedtype: undefined }),
      d.dispatch(event('b3'), 3, plain),
      d.dispatch(event('b1'), 4, plain),
    ]);
    expect(calls()).toBe(1);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    const [b1, b2, b3, b1again] = results;
    expect(b2?.status === 'rejected' && (b2.reason as PipelineError).code).toBe('PIPELINE_STREAM_WRONGTYPE');
    expect(b1?.status === 'fulfilled' && b1.value.written).toBe(true);
    expect(b3?.status === 'fulfilled' && b3.value.written).toBe(true);
    // The repeat later in the same batch sees the marker the first one wrote.
    expect(b1again?.status === 'fulfilled' && b1again.value).toEqual({
      written: false,
      entryId: b1?.status === 'fulfilled' ? b1.value.entryId : 'none',
      streams: [t.stream],
      orderBroken: false,
    });
    const ids = (await redis.xrange(t.stream, '-', '+')).map(([, f]) => f[f.indexOf('id') + 1]);
    expect(ids).toEqual(['b1', 'b3']);
    expect(await redis.exists(`${cfg.dispatchedKeyPrefix}b2`)).toBe(0);
  });

  it('splits a turn with more events than one call takes, and loses none', async () => {
    t = pipelineTestEnv();
    const cfg = loadConfig(['pipeline'], t.env).pipeline;
    const d = new EventDispatcher(redis, cfg);
    const n = MAX_DISPATCH_BATCH * 2 + 3;
    const calls = countScriptCalls(redis);
    const results = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        d.dispatch(event(`s${i}`), i, { eventNames: [], beskedtype: undefined }),
      ),
    );
    expect(calls()).toBe(3);
    expect(results.every((r) => r.written)).toBe(true);
    expect(await redis.xlen(t.stream)).toBe(n);
  });

  it('uses the stream name besked defines as the default of EVENTS_STREAM', () => {
    t = pipelineTestEnv();
    expect(loadConfig(['pipeline'], {}).pipeline.eventsStream).toBe(DEFAULT_EVENTS_STREAM);
  });
});
