import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { loadConfig } from '@cprh/config';
import { createDeadQueue, createInboxQueue, inboxBytes, InboxWriter } from '@cprh/pipeline';
import { createLogger, type RunningService } from '@cprh/runtime';
import { pipelineTestEnv, readFixture, TEST_REDIS_URL, waitFor, type PipelineTestEnv } from '@cprh/testkit';
import { startWorker, WORKER_SECTIONS } from '../src';

const SAMPLE = readFixture('beskeder/testbesked01.xml'); // a birth (foedsel)
const quiet = createLogger('test', 'silent');
const withBeskedId = (id: string): string => SAMPLE.replace('01157488-c45c-4fd2-b076-1de12effbf66', id);

describe('worker (real Redis)', () => {
  let t: PipelineTestEnv;
  let worker: RunningService | undefined;
  const redis = new Redis(TEST_REDIS_URL);

  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
    await t.cleanup();
  });
  afterAll(() => redis.disconnect());

  async function enqueue(env: Record<string, string>, bodies: string[]): Promise<void> {
    const cfg = loadConfig(WORKER_SECTIONS, env).pipeline;
    const inbox = createInboxQueue(redis, cfg);
    await new InboxWriter(redis, inbox, cfg).persist(
      bodies.map((b) => ({
        body: Buffer.from(b),
        source: 'urn:test:source',
        receivedAt: Date.now(),
        channel: { kind: 'push', certSubject: undefined, certFingerprint256: undefined },
      })),
    );
    await inbox.close();
  }

  it('writes the CloudEvent with id, type and seq, and copies it to its routes once', async () => {
    t = pipelineTestEnv();
    const births = `${t.prefix}:foedsel`;
    const env = { ...t.env, ROUTES: `foedsel=${births},doedsfald=${t.prefix}:doed` };
    const id = randomUUID();
    await enqueue(env, [withBeskedId(id)]);
    worker = await startWorker(loadConfig(WORKER_SECTIONS, env), quiet);
    await waitFor('the event', async () => (await redis.xlen(t.stream)) === 1);
    const [[, fields] = ['', []]] = await redis.xrange(t.stream, '-', '+');
    const rec = new Map<string, string>();
    for (let i = 0; i < fields.length; i += 2) rec.set(fields[i] ?? '', fields[i + 1] ?? '');
    expect([...rec.keys()]).toEqual(['event', 'id', 'type', 'seq']);
    expect(rec.get('id')).toBe(id);
    expect(rec.get('seq')).toBe('1');
    expect(rec.get('type')).toBe('dk.kombit.cpr.personhaendelse');
    const event = JSON.parse(rec.get('event') ?? '{}') as {
      id: string;
      source: string;
      data: { registreringer: { haendelse: string }[] };
    };
    expect(event).toMatchObject({ id, source: 'urn:test:source' });
    expect(event.data.registreringer[0]?.haendelse).toBe('foedsel');
    expect(await redis.xlen(births)).toBe(1);
    expect(await redis.exists(`${t.prefix}:doed`)).toBe(0);
  });

  it('retries a transient failure with backoff, then dead-letters it with attempts and times', async () => {
    t = pipelineTestEnv({ JOB_ATTEMPTS: '3', JOB_BACKOFF_MS: '100' });
    // The stream key holds a string: every dispatch fails (not a parse error, so it is retried).
    await redis.set(t.stream, 'in the way');
    const id = randomUUID();
    await enqueue(t.env, [withBeskedId(id)]);
    const started = Date.now();
    worker = await startWorker(loadConfig(WORKER_SECTIONS, t.env), quiet);
    const dead = createDeadQueue(redis, loadConfig(WORKER_SECTIONS, t.env).pipeline);
    try {
      const job = await waitFor('the dead letter', async () => (await dead.getWaiting())[0], {
        timeoutMs: 10000,
      });
      expect(job.id).toBe(`b-${id}`);
      expect(job.data).toMatchObject({
        code: 'PIPELINE_STREAM_WRONGTYPE',
        attempts: 3,
        inboxJobId: `b-${id}`,
      });
      expect(job.data.message).toMatch(/^retries exhausted: /);
      expect(inboxBytes(job.data)).toEqual(Buffer.from(withBeskedId(id)));
      // Backoff 100 ms then 200 ms between the three attempts.
      expect(job.data.lastFailedAt - job.data.firstFailedAt).toBeGreaterThanOrEqual(250);
      expect(job.data.firstFailedAt).toBeGreaterThanOrEqual(started);
      expect(await redis.get(t.stream)).toBe('in the way');
    } finally {
      await dead.close();
    }
  });
});
