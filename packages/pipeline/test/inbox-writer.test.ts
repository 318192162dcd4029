import Redis from 'ioredis';
import type { Queue } from 'bullmq';
import { loadConfig, type Config } from '@cprh/config';
import { pipelineTestEnv, readFixture, startRedisServer, waitFor, type PipelineTestEnv } from '@cprh/testkit';
import {
  createDeadQueue,
  createInboxQueue,
  createProducerRedis,
  encodeBody,
  inboxBytes,
  inboxIdOf,
  InboxWriter,
  type InboxJobData,
  type ReceivedMessage,
  type RedisConnection,
} from '../src';

const xml = readFixture('beskeder/testbesked01.xml');
const msg = (id: string): ReceivedMessage => ({
  body: Buffer.from(xml.replace('01157488-c45c-4fd2-b076-1de12effbf66', id)),
  source: 'urn:test',
  receivedAt: 1234,
  channel: { kind: 'amqp', messageId: `m-${id}`, redelivered: false },
});

describe('InboxWriter', () => {
  let t: PipelineTestEnv;
  afterEach(async () => t.cleanup());

  /** A fresh test env, its pipeline settings, a producer connection and the inbox, closed after `fn`. */
  async function withInbox(
    fn: (o: { cfg: Config['pipeline']; redis: RedisConnection; inbox: Queue<InboxJobData> }) => Promise<void>,
  ): Promise<void> {
    t = pipelineTestEnv();
    const cfg = loadConfig(['pipeline'], t.env).pipeline;
    const redis = createProducerRedis(t.env.REDIS_URL ?? '', 'test');
    await redis.connect();
    const inbox = createInboxQueue(redis, cfg);
    try {
      await fn({ cfg, redis, inbox });
    } finally {
      await inbox.close();
      redis.disconnect();
    }
  }

  it('stores a batch once per BeskedId with consecutive receive sequence numbers', async () => {
    await withInbox(async ({ cfg, redis, inbox }) => {
      const w = new InboxWriter(redis, inbox, cfg);
      const ids = ['aaaaaaaa-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000002'];
      await w.persist([msg(ids[0] ?? ''), msg(ids[1] ?? ''), msg(ids[0] ?? '')]);
      await w.persist([msg(ids[1] ?? '')]);
      expect(await inbox.getJobCountByTypes('waiting')).toBe(2);
      const job = await inbox.getJob(`b-${ids[0]}`);
      expect(job?.data.seq).toBe(1);
      expect(job?.data).toMatchObject({ source: 'urn:test', receivedAt: 1234 });
      expect(job?.data.channel).toEqual({ kind: 'amqp', messageId: `m-${ids[0]}`, redelivered: false });
      expect(inboxBytes(job?.data)).toEqual(msg(ids[0] ?? '').body);
      expect(job?.opts.attempts).toBe(cfg.jobAttempts);
      expect((await inbox.getJob(`b-${ids[1]}`))?.data.seq).toBe(2);
      expect(await redis.get(cfg.seqKey)).toBe('4');
    });
  });

  it('stores each job as BullMQ add() would, the data with its seq (and behind) as the script set them', async () => {
    await withInbox(async ({ cfg, redis, inbox }) => {
      const id = 'aaaaaaaa-0000-4000-8000-000000000003';
      const [jobId] = await new InboxWriter(redis, inbox, cfg).persist([msg(id)]);
      const ours = await redis.hgetall(inbox.toKey(jobId ?? ''));
      const data = JSON.parse(ours.data ?? '{}') as Record<string, unknown>;
      // The same job through BullMQ's own add, under another id.
      await inbox.add('besked', data as never, { jobId: 'bullmq-copy' });
      const theirs = await redis.hgetall(inbox.toKey('bullmq-copy'));
      const parsed = (h: Record<string, string>) => ({
        name: h.name,
        data: JSON.parse(h.data ?? 'null') as unknown,
        opts: { ...(JSON.parse(h.opts ?? '{}') as object), jobId: undefined },
        delay: h.delay,
        priority: h.priority,
        fields: Object.keys(h).sort(),
      });
      expect(parsed(ours)).toEqual(parsed(theirs));
      expect(JSON.parse(ours.opts ?? '{}')).toMatchObject({ jobId, attempts: cfg.jobAttempts });
      expect(data).toMatchObject({ seq: 1, person: expect.any(String) });
      expect(data.behind).toBeUndefined();
      // A second event of the same person while the first is pending: behind.
      const [second] = await new InboxWriter(redis, inbox, cfg).persist([
        msg('aaaaaaaa-0000-4000-8000-000000000004'),
      ]);
      const job2 = await inbox.getJob(second ?? '');
      expect(job2?.data).toMatchObject({ seq: 2, behind: true });
      expect(await inbox.getWaitingCount()).toBe(3);
    });
  });

  it('dead-letters a refused message as the inbox job data plus its reason code, once per id', async () => {
    t = pipelineTestEnv();
    const cfg = loadConfig(['pipeline'], t.env).pipeline;
    const redis = createProducerRedis(t.env.REDIS_URL ?? '', 'test');
    await redis.connect();
    const inbox = createInboxQueue(redis, cfg);
    const dead = createDeadQueue(redis, cfg);
    try {
      const w = new InboxWriter(redis, inbox, cfg);
      const body = Buffer.from('<not-a-besked');
      const id = inboxIdOf({ beskedId: null, cpr: null }, body);
      const refused: ReceivedMessage = {
        body,
        source: 'urn:test:push',
        receivedAt: 99,
        channel: { kind: 'push', certSubject: 'CN=test', certFingerprint256: undefined },
        id,
      };
      const failure = { code: 'BESKED_XML_MALFORMED', message: 'not well-formed' } as const;
      expect(await w.deadLetter(dead, refused, failure)).toBe('recorded');
      expect(await w.deadLetter(dead, refused, failure)).toBe('repeat');
      expect(await dead.getJobCounts()).toMatchObject({ waiting: 1 });
      const letter = await dead.getJob(id.jobId);
      expect(letter?.data).toMatchObject({
        source: 'urn:test:push',
        receivedAt: 99,
        channel: { kind: 'push', certSubject: 'CN=test' }, // JSON: the undefined fingerprint is gone
        seq: 1,
        person: id.jobId,
        code: 'BESKED_XML_MALFORMED',
        message: 'not well-formed',
        attempts: 1,
        inboxJobId: id.jobId,
        originalJobId: id.jobId,
      });
      expect(inboxBytes(letter?.data)).toEqual(body);
      expect(await inbox.getJobCountByTypes('waiting')).toBe(0);
    } finally {
      await Promise.all([inbox.close(), dead.close()]);
      redis.disconnect();
    }
  });

  it('fails fast while Redis is away and works again once it is back', async () => {
    const own = await startRedisServer();
    t = pipelineTestEnv({ REDIS_URL: own.url });
    const cfg = loadConfig(['pipeline'], t.env).pipeline;
    const redis = createProducerRedis(own.url, 'test');
    redis.on('error', () => undefined);
    await redis.connect();
    const inbox = createInboxQueue(redis, cfg);
    inbox.on('error', () => undefined);
    try {
      const w = new InboxWriter(redis, inbox, cfg);
      await w.persist([msg('bbbbbbbb-0000-4000-8000-000000000001')]);
      await own.kill();
      const started = Date.now();
      await expect(w.persist([msg('bbbbbbbb-0000-4000-8000-000000000002')])).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(2000);
      await own.start();
      await waitFor('the writer to work again', async () => {
        await w.persist([msg('bbbbbbbb-0000-4000-8000-000000000002')]);
        return true;
      });
      const check = new Redis(own.url);
      // The private server restarted empty: only the job written after the restart is there.
      expect(await check.exists(`${t.prefix}:inbox:b-bbbbbbbb-0000-4000-8000-000000000002`)).toBe(1);
      check.disconnect();
    } finally {
      await inbox.close().catch(() => undefined);
      redis.disconnect();
      await own.stop();
    }
  });
});

describe('the inbox body', () => {
  it('keeps every byte value exactly, invalid UTF-8 included, one char per byte', () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const body = encodeBody(all);
    expect(body).toHaveLength(256);
    // Through JSON, as BullMQ stores job data.
    const back = inboxBytes(JSON.parse(JSON.stringify({ body })) as { body: string });
    expect(back).toEqual(all);
    expect(encodeBody(all.subarray(10, 20))).toBe(body.slice(10, 20));
  });

  it('reads a job written before the byte-exact format as the UTF-8 of its text', () => {
    expect(inboxBytes({ raw: 'ø' } as never)).toEqual(Buffer.from('ø', 'utf8'));
    expect(inboxBytes({})).toBeUndefined();
  });
});
