import { loadConfig } from '@cprh/config';
import { publishToDueslag } from '@cprh/simulator';
import { createLogger } from '@cprh/runtime';
import { pipelineTestEnv, readFixture, startRedisServer, waitFor, withAmqpChannel } from '@cprh/testkit';
import { Writable } from 'node:stream';
import { startPoller, POLLER_SECTIONS } from '../src';

const SAMPLE = readFixture('beskeder/testbesked01.xml');
const ready = (queue: string): Promise<number> =>
  withAmqpChannel(async (ch) => (await ch.checkQueue(queue)).messageCount);

describe('poller while Redis is away', () => {
  it('holds messages unacked and, stopped, leaves every one of them with RabbitMQ', async () => {
    const own = await startRedisServer();
    const t = pipelineTestEnv({
      REDIS_URL: own.url,
      POLLER_BATCH_SIZE: '10',
      POLLER_PREFETCH: '20',
      POLLER_STOP_GRACE_MS: '500',
    });
    const lines: string[] = [];
    const log = createLogger(
      'poller',
      'info',
      new Writable({
        write(c: Buffer, _e, cb) {
          lines.push(c.toString());
          cb();
        },
      }),
    );
    try {
      const poller = await startPoller(loadConfig(POLLER_SECTIONS, t.env), log);
      await own.kill();
      const bodies = Array.from({ length: 30 }, (_, i) =>
        Buffer.from(
          SAMPLE.replace(
            '01157488-c45c-4fd2-b076-1de12effbf66',
            `eeeeeeee-0000-4000-8000-${String(i).padStart(12, '0')}`,
          ),
        ),
      );
      await publishToDueslag(bodies, { url: t.env.AMQP_URL ?? '', queue: t.dueslag });
      await waitFor('the poller to hold a batch', () =>
        lines.some((l) => l.includes('holding the batch unacked')),
      );
      // Consumer cancelled: no more than the prefetch window left the queue.
      expect(await ready(t.dueslag)).toBeGreaterThanOrEqual(10);
      const started = Date.now();
      await poller.stop();
      expect(Date.now() - started).toBeLessThan(5000);
      expect(await ready(t.dueslag)).toBe(30);
    } finally {
      await own.stop();
      await t.cleanup();
    }
  });
});
