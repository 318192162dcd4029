import Redis from 'ioredis';
import { loadConfig } from '@cprh/config';
import { pipelineTestEnv, type PipelineTestEnv } from '@cprh/testkit';
import {
  createDeadQueue,
  createErrorQueueMoves,
  encodeBody,
  recordDeadLetter,
  recordErrorQueueState,
  type DeadLetterWithMove,
  type Failure,
  type InboxJobData,
} from '../src';

describe('error queue moves (KOMBIT_MOVE_DEAD_TO_ERROR_QUEUE)', () => {
  let t: PipelineTestEnv;
  afterEach(async () => t.cleanup());

  const failure: Failure = {
    code: 'BESKED_FIELD_MISSING',
    message: 'x',
    attempts: 1,
    firstFailedAt: 1,
    lastFailedAt: 2,
  };
  const base = { body: encodeBody(Buffer.from('<x/>')), source: 'urn:test', receivedAt: 1, seq: 1 };
  const pulled: InboxJobData = { ...base, channel: { kind: 'amqp', messageId: 'm', redelivered: false } };
  const pushed: InboxJobData = {
    ...base,
    channel: { kind: 'push', certSubject: undefined, certFingerprint256: undefined },
  };

  it('is requested once per pulled dead letter, never for a pushed one; the outcome goes on the dead letter', async () => {
    t = pipelineTestEnv();
    const cfg = loadConfig(['pipeline'], t.env).pipeline;
    const redis = new Redis(t.env.REDIS_URL ?? '', { maxRetriesPerRequest: 1 });
    const dead = createDeadQueue(redis, cfg);
    const moves = createErrorQueueMoves(redis, cfg, { attempts: 3, backoffMs: 100 });
    try {
      await recordDeadLetter(dead, 'b-pulled', pulled, failure, undefined, moves);
      await recordDeadLetter(dead, 'b-pulled', pulled, failure, undefined, moves); // recorded twice: one request
      await recordDeadLetter(dead, 'b-pushed', pushed, failure, undefined, moves);
      await recordDeadLetter(dead, 'b-without', pulled, failure); // option off
      const waiting = await moves.getJobs(['waiting']);
      expect(waiting.map((j) => [j.id, j.data.deadLetterId])).toEqual([['b-pulled', 'b-pulled']]);
      expect(waiting[0]?.opts.attempts).toBe(3);

      expect(await recordErrorQueueState(dead, 'b-pulled', { state: 'moved', attempts: 2, at: 5 })).toBe(
        true,
      );
      const letter = (await dead.getJob('b-pulled'))?.data as DeadLetterWithMove;
      expect(letter.fejlkoe).toEqual({ state: 'moved', attempts: 2, at: 5 });
      expect(letter.code).toBe('BESKED_FIELD_MISSING'); // the rest of the dead letter is kept
      expect(await recordErrorQueueState(dead, 'b-gone', { state: 'moved', attempts: 1, at: 5 })).toBe(false);
    } finally {
      await moves.close();
      await dead.close();
      redis.disconnect();
    }
  });

  it('lives in the queue ERROR_QUEUE_MOVES_QUEUE names (default fejlkoe), under QUEUE_PREFIX', async () => {
    t = pipelineTestEnv();
    expect(loadConfig(['pipeline'], t.env).pipeline.errorQueueMovesQueue).toBe('fejlkoe');
    const cfg = loadConfig(['pipeline'], { ...t.env, ERROR_QUEUE_MOVES_QUEUE: 'moves' }).pipeline;
    const redis = new Redis(t.env.REDIS_URL ?? '', { maxRetriesPerRequest: 1 });
    const dead = createDeadQueue(redis, cfg);
    const moves = createErrorQueueMoves(redis, cfg, { attempts: 3, backoffMs: 100 });
    try {
      await recordDeadLetter(dead, 'b-pulled', pulled, failure, undefined, moves);
      expect(await redis.exists(`${cfg.queuePrefix}:moves:b-pulled`)).toBe(1);
      expect(await redis.exists(`${cfg.queuePrefix}:fejlkoe:b-pulled`)).toBe(0);
    } finally {
      await moves.close();
      await dead.close();
      redis.disconnect();
    }
  });
});
