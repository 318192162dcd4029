import Redis from 'ioredis';
import { loadConfig } from '@cprh/config';
import { pipelineTestEnv, type PipelineTestEnv } from '@cprh/testkit';
import {
  createDeadQueue,
  createInboxQueue,
  DeadLetters,
  encodeBody,
  inboxBytes,
  inboxJobId,
  isDeadLetterCode,
  PipelineError,
  recordDeadLetter,
  toInboxJobData,
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

describe('a message a source dead-letters itself (push receiver)', () => {
  let t: PipelineTestEnv;
  afterEach(async () => t.cleanup());

  it('keeps its exact bytes and channel under the job id it would have had', async () => {
    t = pipelineTestEnv();
    const cfg = loadConfig(['pipeline'], t.env).pipeline;
    const redis = new Redis(t.env.REDIS_URL ?? '', { maxRetriesPerRequest: 1 });
    const dead = createDeadQueue(redis, cfg);
    try {
      const body = Buffer.from([0x3c, 0x78, 0xff, 0x3e]); // "<x", an invalid byte, ">"
      const received = {
        body,
        source: 'urn:kombit:beskedfordeler:push',
        receivedAt: 5,
        channel: { kind: 'push' as const, certSubject: 'CN=bf', certFingerprint256: 'AB:CD' },
      };
      const id = inboxJobId(body).jobId;
      await recordDeadLetter(dead, id, toInboxJobData(received, 0), {
        code: 'BESKED_ENCODING_INVALID',
        message: 'the message is not valid UTF-8',
        attempts: 1,
        firstFailedAt: 5,
        lastFailedAt: 5,
      });
      const inbox = createInboxQueue(redis, cfg);
      const letter = await new DeadLetters(dead, inbox).get(id);
      await inbox.close();
      expect(inboxBytes(letter.data)).toEqual(body);
      expect(letter.data).toMatchObject({
        channel: received.channel,
        source: received.source,
        originalJobId: id,
      });
    } finally {
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
