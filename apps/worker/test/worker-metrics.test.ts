import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { loadConfig } from '@cprh/config';
import { createDeadQueue, createInboxQueue, InboxWriter } from '@cprh/pipeline';
import { createLogger, evaluateReadiness, metricsRegistry, type RunningService } from '@cprh/runtime';
import { pipelineTestEnv, readFixture, TEST_REDIS_URL, waitFor } from '@cprh/testkit';
import { startWorker, WORKER_SECTIONS } from '../src';

const SAMPLE = readFixture('beskeder/testbesked01.xml'); // a birth (foedsel)
const quiet = createLogger('test', 'silent');

/** One series of this process's registry; a histogram's series are named `<name>_bucket` etc. */
async function value(name: string, labels: Record<string, string> = {}): Promise<number> {
  const base = name.replace(/_(bucket|count|sum)$/, '');
  const m = await metricsRegistry.getSingleMetric(base)?.get();
  const v = m?.values.find(
    (x) =>
      ((x as { metricName?: string }).metricName ?? base) === name &&
      Object.entries(labels).every(([k, l]) => String(x.labels[k]) === l),
  );
  return v?.value ?? 0;
}

describe('worker metrics (real Redis)', () => {
  const redis = new Redis(TEST_REDIS_URL);
  afterAll(() => redis.disconnect());

  it('counts dispatched events by name, repeats, dead letters by code, and receipt-to-stream time', async () => {
    const t = pipelineTestEnv();
    const config = loadConfig(WORKER_SECTIONS, t.env);
    const inbox = createInboxQueue(redis, config.pipeline);
    const dead = createDeadQueue(redis, config.pipeline);
    const writer = new InboxWriter(redis, inbox, config.pipeline);
    const msg = (body: Buffer, receivedAt = Date.now()) => ({
      body,
      source: 'urn:test:source',
      receivedAt,
      channel: { kind: 'amqp', messageId: undefined, redelivered: false } as const,
    });
    const good = Buffer.from(SAMPLE.replace('01157488-c45c-4fd2-b076-1de12effbf66', randomUUID()));
    const receivedAt = Date.now() - 5000; // the histogram must see the time since receipt, not since the job
    const before = {
      foedsel: await value('cprh_events_dispatched_total', { event: 'foedsel' }),
      dup: await value('cprh_duplicates_dropped_total', { stage: 'dispatch' }),
      dead: await value('cprh_dead_letters_total', { code: 'BESKED_XML_MALFORMED' }),
      slow: await value('cprh_receipt_to_stream_seconds_count'),
      under5: await value('cprh_receipt_to_stream_seconds_bucket', { le: '2.5' }),
    };
    let worker: RunningService | undefined;
    try {
      await writer.persist([msg(good, receivedAt), msg(Buffer.from('<not xml'))]);
      worker = await startWorker(config, quiet);
      await waitFor(
        'the event and the dead letter',
        async () => (await redis.xlen(t.stream)) === 1 && (await dead.count()) === 1,
      );
      await waitFor(
        'counted',
        async () => (await value('cprh_dead_letters_total', { code: 'BESKED_XML_MALFORMED' })) > before.dead,
      );
      expect((await value('cprh_events_dispatched_total', { event: 'foedsel' })) - before.foedsel).toBe(1);
      expect((await value('cprh_receipt_to_stream_seconds_count')) - before.slow).toBe(1);
      expect((await value('cprh_receipt_to_stream_seconds_bucket', { le: '2.5' })) - before.under5).toBe(0);
      expect((await value('cprh_dead_letters_total', { code: 'BESKED_XML_MALFORMED' })) - before.dead).toBe(
        1,
      );

      // The same message again under a new job id (as a replay is): the stream keeps one entry.
      const done = await waitFor('the completed job', async () => (await inbox.getCompleted())[0]);
      await done.remove();
      await writer.persist([msg(good)]);
      await waitFor(
        'the repeat dropped',
        async () => (await value('cprh_duplicates_dropped_total', { stage: 'dispatch' })) - before.dup === 1,
      );
      expect(await redis.xlen(t.stream)).toBe(1);
      // The inbox moves, so the worker's part of /readyz is ready.
      expect(await evaluateReadiness(2000)).toEqual({ ready: true });
      expect((await value('cprh_events_dispatched_total', { event: 'foedsel' })) - before.foedsel).toBe(1);
    } finally {
      await worker?.stop();
      await inbox.close();
      await dead.close();
      await t.cleanup();
    }
  });
});
