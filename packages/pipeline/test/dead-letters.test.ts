import Redis from 'ioredis';
import { loadConfig } from '@cprh/config';
import { pipelineTestEnv, type PipelineTestEnv } from '@cprh/testkit';
import {
  createDeadQueue,
  createInboxQueue,
  DeadLetters,
  encodeBody,
  isDeadLetterCode,
  PipelineError,
  recordDeadLetter,
  type Failure,
  type InboxJobData,
} from '../src';

describe('dead letters', () => {
  let t: PipelineTestEnv;
  afterEach(async () => t.cleanup());

  it('records once, lists, shows, replays under a new inbox id and purges', async () => {
    t = pipelineTestEnv();
    const cfg = loadConfig(['pipeline'], t.env).pipeline;
    const redis = new Redis(t.env.REDIS_URL ?? '', { maxRetriesPerRequest: 1 });
    const inbox = createInboxQueue(redis, cfg);
    const dead = createDeadQueue(redis, cfg);
    try {
      const dl = new DeadLetters(dead, inbox);
      const data: InboxJobData = {
        body: encodeBody(Buffer.from('<x/>')),
        source: 'urn:test',
        receivedAt: 7,
        channel: { kind: 'amqp', messageId: 'm-1', redelivered: true },
        seq: 3,
      };
      const failure: Failure = {
        code: 'BESKED_XML_MALFORMED',
        message: 'bad',
        attempts: 1,
        firstFailedAt: 1,
        lastFailedAt: 2,
      };
      await recordDeadLetter(dead, 'raw-abc', data, failure);
      await recordDeadLetter(dead, 'raw-abc', data, failure);
      await recordDeadLetter(dead, 'raw-def', data, failure);
      expect(await dl.count()).toBe(2);
      expect((await dl.list()).map((j) => j.id)).toEqual(['raw-abc', 'raw-def']);
      const shown = await dl.get('raw-abc');
      expect(shown.data).toMatchObject({
        ...failure,
        ...data,
        inboxJobId: 'raw-abc',
        originalJobId: 'raw-abc',
      });
      await expect(dl.get('nope')).rejects.toThrow(PipelineError);

      const newId = await dl.replay('raw-abc');
      expect(newId).toMatch(/^raw-abc-r[0-9a-z]+$/);
      const replayed = await inbox.getJob(newId);
      expect(replayed?.data).toEqual({ ...data, replayOf: 'raw-abc' });
      expect(await dl.count()).toBe(1);

      // A replayed job that fails again keeps pointing at the first inbox job.
      await recordDeadLetter(dead, newId, replayed?.data ?? data, failure);
      expect((await dl.get(newId)).data.originalJobId).toBe('raw-abc');

      expect(await dl.purge()).toBe(2);
      expect(await dl.count()).toBe(0);
    } finally {
      await inbox.close();
      await dead.close();
      redis.disconnect();
    }
  });
});

describe('dead-letter codes', () => {
  it('are the codes of besked, the pipeline and the worker, nothing else', () => {
    for (const code of [
      'BESKED_ENCODING_INVALID',
      'PIPELINE_JOB_INVALID',
      'WORKER_STALLED',
      'WORKER_RETRIES_EXHAUSTED',
    ]) {
      expect(isDeadLetterCode(code)).toBe(true);
    }
    for (const code of ['ECONNREFUSED', 'besked_xml_malformed', 'toString', undefined, 42]) {
      expect(isDeadLetterCode(code)).toBe(false);
    }
  });
});
