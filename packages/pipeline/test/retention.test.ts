import { Writable } from 'node:stream';
import Redis from 'ioredis';
import { loadConfig } from '@cprh/config';
import { pipelineTestEnv, type PipelineTestEnv } from '@cprh/testkit';
import {
  createDeadQueue,
  createInboxQueue,
  DeadLetters,
  encodeBody,
  JobStripper,
  recordDeadLetter,
  startRetention,
  type InboxJobData,
  type RetentionTask,
} from '../src';
import { createLogger, metricsRegistry } from '@cprh/runtime';

const DAY = 24 * 3600 * 1000;

async function value(name: string, labels: Record<string, string> = {}): Promise<number> {
  const m = await metricsRegistry.getSingleMetric(name)?.get();
  const v = m?.values.find((x) => Object.entries(labels).every(([k, l]) => String(x.labels[k]) === l));
  return v?.value ?? 0;
}

/** A logger whose JSON lines the test can read. */
function capturedLog(): { lines: () => Record<string, unknown>[]; log: ReturnType<typeof createLogger> } {
  const out: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      out.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return {
    lines: () => out.map((l) => JSON.parse(l) as Record<string, unknown>),
    log: createLogger('test', 'info', sink),
  };
}

describe('retention limits (real Redis)', () => {
  let t: PipelineTestEnv;
  let task: RetentionTask | undefined;
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  afterEach(async () => {
    await task?.stop();
    task = undefined;
    await t.cleanup();
  });
  afterAll(() => redis.disconnect());

  function start(env: Record<string, string>, log = createLogger('test', 'silent')) {
    const cfg = loadConfig(['pipeline'], env).pipeline;
    const inbox = createInboxQueue(redis, cfg);
    const dead = createDeadQueue(redis, cfg);
    task = startRetention({
      redis,
      pipeline: cfg,
      deadLetters: new DeadLetters(dead, inbox),
      stripper: new JobStripper(redis, cfg),
      keepCompletedBytesSeconds: 0,
      intervalSeconds: 3600,
      log,
    });
    // The pass every start makes, done before the test writes its data.
    const first = task.runOnce();
    return { first, cfg, inbox, dead, close: () => Promise.all([inbox.close(), dead.close()]) };
  }

  it('trims the main and each route stream by its own age, and reports a group before and when it loses unread entries', async () => {
    t = pipelineTestEnv();
    const route = `${t.prefix}:foedsel`;
    const env = {
      ...t.env,
      ROUTES: `foedsel=${route}`,
      EVENTS_MAX_AGE_SECONDS: String(14 * 24 * 3600),
      ROUTES_MAX_AGE_SECONDS: `${route}=${24 * 3600}`,
      EVENTS_MAX_AGE_WARN_SECONDS: String(2 * 24 * 3600),
    };
    const now = Date.now();
    // Main stream: 20, 13 and 1 days old; the route: 3 days and 1 hour old.
    for (const age of [20 * DAY, 13 * DAY, DAY])
      await redis.xadd(t.stream, `${now - age}-0`, 'id', `m${age}`);
    for (const age of [3 * DAY, 3600 * 1000]) await redis.xadd(route, `${now - age}-0`, 'id', `r${age}`);
    // "reader" has read the oldest entry only; "lagging" nothing; "current" everything.
    await redis.xgroup('CREATE', t.stream, 'reader', `${now - 20 * DAY}-0`);
    await redis.xgroup('CREATE', t.stream, 'lagging', '0');
    await redis.xgroup('CREATE', t.stream, 'current', '$');
    const lostBefore = await value('cprh_stream_unread_trimmed_total', {
      stream: t.stream,
      group: 'lagging',
    });
    const trimmedBefore = await value('cprh_stream_entries_trimmed_total', { stream: route });
    const { lines, log } = capturedLog();
    const q = start(env, log);
    try {
      await task?.runOnce(now);
      expect((await redis.xrange(t.stream, '-', '+')).map(([, f]) => f[1])).toEqual([
        `m${13 * DAY}`,
        `m${DAY}`,
      ]);
      expect((await redis.xrange(route, '-', '+')).map(([, f]) => f[1])).toEqual([`r${3600 * 1000}`]);
      expect((await value('cprh_stream_entries_trimmed_total', { stream: route })) - trimmedBefore).toBe(1);

      // "lagging" lost the 20-day entry (never read): counted and logged as an error.
      expect(
        (await value('cprh_stream_unread_trimmed_total', { stream: t.stream, group: 'lagging' })) -
          lostBefore,
      ).toBe(1);
      const lost = lines().find((l) => l.level === 50 && l.group === 'lagging');
      expect(lost).toMatchObject({ stream: t.stream, entries: 1 });
      // "reader" had read it, but not the 13-day one, which goes within the 2-day warning window.
      expect(await value('cprh_stream_group_unread_expiring', { stream: t.stream, group: 'reader' })).toBe(1);
      expect(
        await value('cprh_stream_group_oldest_unread_age_seconds', { stream: t.stream, group: 'reader' }),
      ).toBe(13 * 24 * 3600);
      expect(lines().find((l) => l.level === 40 && l.group === 'reader')?.msg).toMatch(
        /consumer group is behind/,
      );
      expect(await value('cprh_stream_group_unread_expiring', { stream: t.stream, group: 'current' })).toBe(
        0,
      );
      expect(
        await value('cprh_stream_group_oldest_unread_age_seconds', { stream: t.stream, group: 'current' }),
      ).toBe(0);
      // Nothing but ids and names in the log lines.
      expect(JSON.stringify(lines())).not.toMatch(/"m\d+"/);
    } finally {
      await q.close();
    }
  });

  it('trims a long untrimmed stream in bounded steps and leaves no entry older than the age', async () => {
    t = pipelineTestEnv();
    const now = Date.now();
    const pipe = redis.pipeline();
    for (let i = 0; i < 25000; i++) pipe.xadd(t.stream, `${now - 20 * DAY + i}-0`, 'id', 'o');
    for (let i = 0; i < 10; i++) pipe.xadd(t.stream, `${now - 1000 + i}-0`, 'id', 'n');
    await pipe.exec();
    const before = await value('cprh_stream_entries_trimmed_total', { stream: t.stream });
    const q = start(t.env);
    try {
      await task?.runOnce(now);
      expect(await redis.xlen(t.stream)).toBe(10);
      expect((await value('cprh_stream_entries_trimmed_total', { stream: t.stream })) - before).toBe(25000);
    } finally {
      await q.close();
    }
  });

  it('EVENTS_MAX_AGE_SECONDS=0 trims nothing', async () => {
    t = pipelineTestEnv();
    const now = Date.now();
    await redis.xadd(t.stream, `${now - 400 * DAY}-0`, 'id', 'old');
    const q = start({ ...t.env, EVENTS_MAX_AGE_SECONDS: '0' });
    try {
      await task?.runOnce(now);
      expect(await redis.xlen(t.stream)).toBe(1);
    } finally {
      await q.close();
    }
  });

  it('purges dead letters older than DEAD_LETTER_MAX_AGE_SECONDS and counts those due within the warning window', async () => {
    t = pipelineTestEnv();
    const env = {
      ...t.env,
      DEAD_LETTER_MAX_AGE_SECONDS: String(30 * 24 * 3600),
      DEAD_LETTER_EXPIRY_WARN_SECONDS: String(7 * 24 * 3600),
    };
    const { lines, log } = capturedLog();
    const q = start(env, log);
    await q.first;
    try {
      const data: InboxJobData = {
        body: encodeBody(Buffer.from('<x>0101901234</x>')),
        source: 'urn:test',
        receivedAt: 1,
        channel: { kind: 'amqp', messageId: undefined, redelivered: false },
        seq: 1,
      };
      const failure = {
        code: 'BESKED_XML_MALFORMED',
        message: 'bad',
        attempts: 1,
        firstFailedAt: 1,
        lastFailedAt: 1,
      } as const;
      const now = Date.now();
      for (const [id, age] of [
        ['raw-old', 31 * DAY],
        ['raw-soon', 25 * DAY],
        ['raw-new', DAY],
      ] as const) {
        await recordDeadLetter(q.dead, id, data, failure);
        await redis.hset(`${t.prefix}:dead:${id}`, 'timestamp', String(now - age));
      }
      const purgedBefore = await value('cprh_dead_letters_purged_total');
      await task?.runOnce(now);
      const dl = new DeadLetters(q.dead, q.inbox);
      expect((await dl.ages()).map((a) => a.id).sort()).toEqual(['raw-new', 'raw-soon']);
      expect((await value('cprh_dead_letters_purged_total')) - purgedBefore).toBe(1);
      expect(await value('cprh_dead_letters_expiring')).toBe(1);
      expect(lines().find((l) => l.msg === 'dead letters purged by age')).toMatchObject({
        deadLetters: ['raw-old'],
      });
      expect(lines().find((l) => l.level === 40)?.msg).toMatch(/will be purged/);
      expect(await redis.exists(`${t.prefix}:dead:raw-old`)).toBe(0);
    } finally {
      await q.close();
    }
  });
});
