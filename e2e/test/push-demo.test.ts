import { peekBeskedId } from '@cprh/besked';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { loadWorkbenchConfig } from '@cprh/simulator';
import { inboxBytes, type InboxJobData } from '@cprh/pipeline';
import { metricsRegistry, type RunningService } from '@cprh/runtime';
import { pipelineTestEnv, simTestEnv, TEST_REDIS_URL, waitFor } from '@cprh/testkit';
import { startServices, START_SECTIONS } from '@cprh/demo';
import { capturingLogger, streamEventIds } from './support/pipeline-harness';

// `SIM_DEMO_MODE=push pnpm start`: simulator -> receiver (HTTPS, mutual TLS, dev CA) -> worker ->
// stream, in this process, on the test's own names, ports and PKI.
describe('the push demo (SIM_DEMO_MODE=push)', () => {
  const sim = simTestEnv();
  const t = pipelineTestEnv({
    ...sim.env,
    SIM_ENABLED: 'true',
    SIM_DEMO_MODE: 'push',
    SIM_RATE: '40',
    RECEIVER_PORT: '0',
    BOARD_PORT: '0',
    LOG_LEVEL: 'warn',
    // The sender's trouble: copies, failed and slow attempts, all retried against the receiver.
    SIM_CHAOS_DUPLICATE: '0.3',
    SIM_CHAOS_PUSH_FAIL: '0.2',
    SIM_CHAOS_PUSH_SLOW: '0.1',
    SIM_CHAOS_SLOW_MS: '300',
    SIM_PUSH_BACKOFF_MS: '50',
    SIM_PUSH_MAX_ATTEMPTS: '20',
  });
  const redis = new Redis(TEST_REDIS_URL);
  let services: RunningService | undefined;

  afterAll(async () => {
    await services?.stop();
    await t.cleanup();
    await sim.cleanup();
    redis.disconnect();
  });

  it('delivers every pushed event to the stream exactly once, with duplicate, failing and slow pushes', async () => {
    const { log, lines } = capturingLogger('info');
    const config = loadWorkbenchConfig(START_SECTIONS, t.env);
    services = await startServices(config, log);
    expect(lines.some((l) => /"msg":"receiver listening"/.test(l))).toBe(true);
    const listening = JSON.parse(lines.find((l) => /"msg":"receiver listening"/.test(l)) ?? '{}') as {
      url?: string;
    };
    expect(listening.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/sts\/beskedfordeler\/ModtagBesked$/);
    await waitFor('60 events in the stream', async () => (await redis.xlen(t.stream)) >= 60, {
      timeoutMs: 60_000,
      intervalMs: 200,
    });
    // Stop the feed first, then let what is in flight land.
    await services.stop();
    services = undefined;

    const streamIds = await streamEventIds(redis, t.stream);
    expect(new Set(streamIds).size).toBe(streamIds.length);
    // What the receiver stored is exactly what reached the stream: same BeskedIds, each once.
    const inbox = new Queue<InboxJobData>(config.pipeline.inboxQueue, {
      connection: redis,
      prefix: config.pipeline.queuePrefix,
    });
    const jobs = await inbox.getJobs(['completed', 'waiting', 'active', 'failed', 'delayed']);
    await inbox.close();
    // A completed job keeps its BeskedId as metadata (its bytes are gone); a waiting one has the bytes.
    const idOf = (j: (typeof jobs)[number]) =>
      (j.data as { beskedId?: string }).beskedId ?? peekBeskedId(inboxBytes(j.data)?.toString('utf8') ?? '');
    expect(jobs.every((j) => j.data.source === 'urn:kombit:beskedfordeler:push')).toBe(true);
    // A job stored in the last moment may still wait for the next worker; every finished one is in the stream.
    const finished = await Promise.all(
      jobs.map(async (j) => ((await j.getState()) === 'completed' ? idOf(j) : undefined)),
    );
    expect(new Set(finished.filter((id) => id !== undefined))).toEqual(new Set(streamIds));
    expect(streamIds.length).toBeGreaterThanOrEqual(60);
    // The chaos really happened: more answers 20 than distinct messages (copies answered again).
    const answers = (await metricsRegistry.getSingleMetricAsString('cprh_receiver_answers_total'))
      .split('\n')
      .find((l) =>
        l.startsWith('cprh_receiver_answers_total{tenant="default",http_status="200",status_kode="20"}'),
      );
    expect(Number(answers?.split(' ')[1] ?? 0)).toBeGreaterThan(streamIds.length);
  });
});
