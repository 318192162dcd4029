import Redis from 'ioredis';
import { loadConfig } from '@cprh/config';
import { createDeadQueue, createInboxQueue, inboxBytes, InboxWriter } from '@cprh/pipeline';
import { appMain, pipelineTestEnv, readFixture, spawnTs, waitFor, type SpawnedProcess } from '@cprh/testkit';

const WORKER_MAIN = appMain('worker');

describe('a message that keeps killing its worker', () => {
  it('is dead-lettered (WORKER_STALLED) once BullMQ gives up on it, and never reaches the stream', async () => {
    const t = pipelineTestEnv({
      LOG_LEVEL: 'info',
      WORKER_CONCURRENCY: '1',
      WORKER_MAX_STALLED_COUNT: '1',
      WORKER_LOCK_DURATION_MS: '1000',
      WORKER_STALLED_INTERVAL_MS: '500',
    });
    const redis = new Redis(t.env.REDIS_URL ?? '');
    const cfg = loadConfig(['pipeline'], t.env).pipeline;
    const inbox = createInboxQueue(redis, cfg);
    const dead = createDeadQueue(redis, cfg);
    const procs: SpawnedProcess[] = [];
    try {
      const body = Buffer.from(readFixture('beskeder/testbesked01.xml'));
      await new InboxWriter(redis, inbox, cfg).persist([
        {
          body,
          source: 'urn:test',
          receivedAt: Date.now(),
          channel: { kind: 'amqp', messageId: undefined, redelivered: false },
        },
      ]);
      // Two workers die on it (the second takes it over after its lock expired), then BullMQ gives up.
      for (let i = 0; i < 2; i++) {
        const p = spawnTs(WORKER_MAIN, { ...t.env, FAULT_INJECT: 'crash-before-dispatch' });
        procs.push(p);
        expect(await p.waitForExit(15000)).toBe('SIGKILL');
      }
      const survivor = spawnTs(WORKER_MAIN, t.env);
      procs.push(survivor);
      const letter = await waitFor('the dead letter', async () => (await dead.getWaiting())[0], {
        timeoutMs: 15000,
      });
      expect(letter.id).toBe('b-01157488-c45c-4fd2-b076-1de12effbf66');
      expect(letter.data.code).toBe('WORKER_STALLED');
      expect(inboxBytes(letter.data)).toEqual(body);
      expect(await redis.xlen(t.stream)).toBe(0);
      expect(await survivor.stop('SIGTERM')).toBe(0);
    } finally {
      for (const p of procs) await p.stop('SIGKILL').catch(() => undefined);
      await inbox.close();
      await dead.close();
      redis.disconnect();
      await t.cleanup();
    }
  });
});
