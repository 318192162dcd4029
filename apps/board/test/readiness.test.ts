import { Queue } from 'bullmq';
import { loadConfig } from '@cprh/config';
import { pipelineTestEnv } from '@cprh/testkit';
import { startBoard, BOARD_SECTIONS } from '../src';

describe('board /readyz notices a wedged inbox (real Redis)', () => {
  it('is 503 with the reason while jobs wait and none finished for READY_STALL_SECONDS', async () => {
    const t = pipelineTestEnv({ BOARD_PORT: '0', LOG_LEVEL: 'silent', READY_STALL_SECONDS: '30' });
    const board = await startBoard(loadConfig(BOARD_SECTIONS, t.env));
    const inbox = new Queue('inbox', { connection: { url: t.env.REDIS_URL ?? '' }, prefix: t.prefix });
    try {
      expect(await (await fetch(`${board.url}readyz`)).json()).toEqual({ status: 'ready' });
      // Waiting for a minute with no worker to take it.
      await inbox.add('besked', {}, { jobId: 'stuck', timestamp: Date.now() - 60_000 });
      const res = await fetch(`${board.url}readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({
        status: 'unavailable',
        reason: expect.stringMatching(/^inbox stalled: 1 jobs waiting and none finished for 60 s/),
      });
      await inbox.remove('stuck');
      expect((await fetch(`${board.url}readyz`)).status).toBe(200);
    } finally {
      await inbox.close();
      await board.close();
      await t.cleanup();
    }
  });
});
