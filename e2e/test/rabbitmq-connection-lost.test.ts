import Redis from 'ioredis';
import { loadWorkbenchConfig } from '@cprh/simulator';
import type { RunningService } from '@cprh/runtime';
import {
  amqpConnectionPid,
  closeAmqpConnection,
  pipelineTestEnv,
  TEST_REDIS_URL,
  waitFor,
  type PipelineTestEnv,
} from '@cprh/testkit';
import { startServices, START_SECTIONS } from '@cprh/demo';
import {
  capturingLogger,
  expectDeliveredExactlyOnce,
  freshMessages,
  publish,
  waitForStreamLength,
} from './support/pipeline-harness';

/** Closes the poller's AMQP connection from the broker side. */
async function closePollerConnection(dueslag: string): Promise<void> {
  const pid = await amqpConnectionPid(`cprh-poller ${dueslag}`);
  if (pid === undefined) throw new Error('poller connection not found');
  await closeAmqpConnection(pid, 'test: connection lost');
}

describe('RabbitMQ connection lost mid-run', () => {
  let t: PipelineTestEnv;
  let services: RunningService | undefined;
  const redis = new Redis(TEST_REDIS_URL);

  afterEach(async () => {
    await services?.stop();
    services = undefined;
    await t.cleanup();
  });
  afterAll(() => redis.disconnect());

  it('reconnects with backoff and resumes: every message exactly once', async () => {
    t = pipelineTestEnv({ POLLER_BATCH_SIZE: '20', POLLER_PREFETCH: '40', WORKER_CONCURRENCY: '2' });
    const { ids, bodies } = freshMessages(600);
    const { log, lines } = capturingLogger('info');
    services = await startServices(loadWorkbenchConfig(START_SECTIONS, t.env), log);
    await publish(t.env, bodies);
    await waitForStreamLength(redis, t.stream, 20);
    await closePollerConnection(t.dueslag);
    await waitFor('the reconnect', () => lines.some((l) => l.includes('AMQP reconnected')), {
      timeoutMs: 15000,
    });
    // Consuming resumed on the new connection: later messages arrive too.
    const later = freshMessages(100);
    await publish(t.env, later.bodies);
    await waitForStreamLength(redis, t.stream, 700);
    await services.stop();
    services = undefined;
    await expectDeliveredExactlyOnce(redis, t, [...ids, ...later.ids]);
  });
});
