import Redis from 'ioredis';
import { loadConfig } from '@cprh/config';
import { pipelineTestEnv, readFixture, startRedisServer, waitFor, type PipelineTestEnv } from '@cprh/testkit';
import { createInboxQueue, createProducerRedis, InboxWriter, type ReceivedMessage } from '../src';

const xml = readFixture('beskeder/testbesked01.xml');
const msg = (id: string): ReceivedMessage => ({
  body: Buffer.from(xml.replace('01157488-c45c-4fd2-b076-1de12effbf66', id)),
  amqp: { messageId: `m-${id}`, redelivered: false, receivedAt: Date.now() },
});

describe('InboxWriter', () => {
  let t: PipelineTestEnv;
  afterEach(async () => t.cleanup());

  it('stores a batch once per BeskedId with consecutive receive sequence numbers', async () => {
    t = pipelineTestEnv();
    const cfg = loadConfig(['pipeline'], t.env).pipeline;
    const redis = createProducerRedis(t.env.REDIS_URL ?? '', 'test');
    await redis.connect();
    const inbox = createInboxQueue(redis, cfg);
    try {
      const w = new InboxWriter(redis, inbox, cfg.seqKey, 'urn:test');
      const ids = ['aaaaaaaa-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000002'];
      await w.persist([msg(ids[0] ?? ''), msg(ids[1] ?? ''), msg(ids[0] ?? '')]);
      await w.persist([msg(ids[1] ?? '')]);
      expect(await inbox.getJobCountByTypes('waiting')).toBe(2);
      const job = await inbox.getJob(`b-${ids[0]}`);
      expect(job?.data.seq).toBe(1);
      expect(job?.data.amqp?.messageId).toBe(`m-${ids[0]}`);
      expect(job?.data.raw).toContain('Haendelsesbesked');
      expect(job?.opts.attempts).toBe(cfg.jobAttempts);
      expect((await inbox.getJob(`b-${ids[1]}`))?.data.seq).toBe(2);
      expect(await redis.get(cfg.seqKey)).toBe('4');
    } finally {
      await inbox.close();
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
      const w = new InboxWriter(redis, inbox, cfg.seqKey, 'urn:test');
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
