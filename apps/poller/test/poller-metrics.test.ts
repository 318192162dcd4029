import { loadConfig } from '@cprh/config';
import { publishToDueslag } from '@cprh/simulator';
import { createInboxQueue } from '@cprh/pipeline';
import { createLogger, evaluateReadiness, metricsRegistry } from '@cprh/runtime';
import {
  amqpConnectionPid,
  closeAmqpConnection,
  pipelineTestEnv,
  readFixture,
  TEST_REDIS_URL,
  waitFor,
} from '@cprh/testkit';
import Redis from 'ioredis';
import { POLLER_SECTIONS, startPoller } from '../src';

const SAMPLE = readFixture('beskeder/testbesked01.xml');
const quiet = createLogger('test', 'silent');

/** The value of one series in this process's registry (0 when it has none yet). */
async function value(name: string, labels: Record<string, string>): Promise<number> {
  const m = await metricsRegistry.getSingleMetric(name)?.get();
  const v = m?.values.find((x) => Object.entries(labels).every(([k, l]) => x.labels[k] === l));
  return v?.value ?? 0;
}

describe('poller metrics and readiness (real RabbitMQ and Redis)', () => {
  it('counts received, stored and acked pulls, and a lost connection as a reconnect', async () => {
    const t = pipelineTestEnv({ POLLER_BATCH_SIZE: '5' });
    const redis = new Redis(TEST_REDIS_URL);
    const before = {
      received: await value('cprh_messages_received_total', { channel: 'pull' }),
      stored: await value('cprh_messages_stored_total', { channel: 'pull' }),
      acked: await value('cprh_messages_acked_upstream_total', { channel: 'pull' }),
      // A broker-side close is 320 CONNECTION_FORCED, counted with that reason.
      reconnects: await value('cprh_amqp_reconnects_total', { reason: 'connection_forced' }),
    };
    const config = loadConfig(POLLER_SECTIONS, t.env);
    const poller = await startPoller(config, quiet);
    const inbox = createInboxQueue(redis, config.pipeline);
    try {
      const bodies = Array.from({ length: 7 }, (_, i) =>
        Buffer.from(
          SAMPLE.replace(
            '01157488-c45c-4fd2-b076-1de12effbf66',
            `dddddddd-0000-4000-8000-${String(i).padStart(12, '0')}`,
          ),
        ),
      );
      await publishToDueslag(bodies, { url: t.env.AMQP_URL ?? '', queue: t.dueslag });
      await waitFor(
        '7 acked',
        async () =>
          (await value('cprh_messages_acked_upstream_total', { channel: 'pull' })) - before.acked === 7,
      );
      expect(await inbox.getWaitingCount()).toBe(7);
      expect((await value('cprh_messages_received_total', { channel: 'pull' })) - before.received).toBe(7);
      expect((await value('cprh_messages_stored_total', { channel: 'pull' })) - before.stored).toBe(7);
      expect(await evaluateReadiness(2000)).toEqual({ ready: true });
      expect(await value('cprh_upstream_up', { channel: 'pull' })).toBe(1);

      const pid = await waitFor('the poller connection', () => amqpConnectionPid(`cprh-poller ${t.dueslag}`));
      await closeAmqpConnection(pid, 'test closes it');
      await waitFor(
        'a reconnect counted',
        async () =>
          (await value('cprh_amqp_reconnects_total', { reason: 'connection_forced' })) - before.reconnects ===
          1,
      );
      await waitFor('ready again', async () => (await evaluateReadiness(2000)).ready);
    } finally {
      await poller.stop();
      await inbox.close();
      redis.disconnect();
      await t.cleanup();
    }
    // Stopped: its check is gone, so it no longer makes the process unready.
    expect(await evaluateReadiness(2000)).toEqual({ ready: true });
  });
});
