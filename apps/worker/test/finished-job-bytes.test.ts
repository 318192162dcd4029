import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import Redis from 'ioredis';
import { cprNumbersIn, peekBeskedId } from '@cprh/besked';
import { loadConfig } from '@cprh/config';
import {
  createInboxQueue,
  InboxWriter,
  isStripped,
  strippedJobData,
  type InboxJobData,
} from '@cprh/pipeline';
import { createLogger, type RunningService } from '@cprh/runtime';
import {
  dumpKeys,
  pipelineTestEnv,
  readFixture,
  TEST_REDIS_URL,
  waitFor,
  type PipelineTestEnv,
} from '@cprh/testkit';
import { startWorker, WORKER_SECTIONS } from '../src';

const FIXTURES = ['01', '02', '03'].map((n) => readFixture(`beskeder/testbesked${n}.xml`));
const quiet = createLogger('test', 'silent');
/** A fixture with a fresh BeskedId (the fixtures' own ids would collide between tests). */
const fresh = (xml: string, id = randomUUID()): string => xml.replace(peekBeskedId(xml) ?? '', id);
/** Every CPR number in the fixtures: none of them may be left outside the streams and dead letters. */
const FIXTURE_CPRS = new Set(FIXTURES.flatMap((x) => cprNumbersIn(x)));

describe('finished inbox jobs keep no message bytes (real Redis)', () => {
  let t: PipelineTestEnv;
  let worker: RunningService | undefined;
  const redis = new Redis(TEST_REDIS_URL);

  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
    await t.cleanup();
  });
  afterAll(() => redis.disconnect());

  async function persist(env: Record<string, string>, bodies: string[]): Promise<string[]> {
    const cfg = loadConfig(WORKER_SECTIONS, env).pipeline;
    const inbox = createInboxQueue(redis, cfg);
    try {
      return await new InboxWriter(redis, inbox, cfg).persist(
        bodies.map((b) => ({
          body: Buffer.from(b),
          source: 'urn:test:source',
          receivedAt: Date.now(),
          channel: { kind: 'amqp', messageId: 'tx-1', redelivered: false },
        })),
      );
    } finally {
      await inbox.close();
    }
  }

  it('after a run, no key outside the event streams and the dead letters holds a CPR number', async () => {
    expect(FIXTURE_CPRS.size).toBeGreaterThanOrEqual(4);
    t = pipelineTestEnv({ RETENTION_INTERVAL_SECONDS: '1' });
    const births = `${t.prefix}:foedsel`;
    const env = { ...t.env, ROUTES: `foedsel=${births}` };
    // Fixed ids (every key is under the test's own prefix): job ids and hashes are the same every
    // run, so a random hex run can never pass for a CPR number in the scan below.
    const good = FIXTURES.map((x, i) => fresh(x, `c0ffee00-0000-4000-8000-00000000a00${i}`));
    // Unparseable, with a CPR number in it: dead-lettered; its failed inbox job must lose the bytes too.
    const broken =
      '<Haendelsesbesked><BeskedId>c0ffee00-0000-4000-8000-00000000a009</BeskedId> 010190-1234 <unclosed>';
    const ids = await persist(env, [...good, broken]);
    const started = Date.now();
    worker = await startWorker(loadConfig(WORKER_SECTIONS, env), quiet);
    await waitFor('3 events', async () => (await redis.xlen(t.stream)) === 3);
    await waitFor('1 dead letter', async () => (await redis.llen(`${t.prefix}:dead:wait`)) === 1);
    // The promise: ten seconds after the last dispatch nothing else holds a CPR number.
    const leaks = async (): Promise<string[]> =>
      (await dumpKeys(redis, t.prefix))
        .filter(
          (k) =>
            k.key !== t.stream &&
            k.key !== births &&
            !k.key.startsWith(`${t.prefix}:dead:`) &&
            // CPR numbers, or any of a message's XML (its Base64 payloads would hide them from the pattern)
            (cprNumbersIn(k.text).length > 0 || k.text.includes('BeskedId>')),
        )
        .map((k) => `${k.key} (${k.type})`);
    await waitFor(
      'no CPR number outside the streams and dead letters',
      async () => (await leaks()).length === 0,
      {
        timeoutMs: 10000,
      },
    ).catch(() => undefined);
    expect(await leaks()).toEqual([]);
    expect(Date.now() - started).toBeLessThan(15000);
    // The scan can fail: the streams and the dead letter do hold them.
    const all = (await dumpKeys(redis, t.prefix)).map((k) => k.text).join('\n');
    for (const cpr of [...FIXTURE_CPRS, '0101901234']) expect(cprNumbersIn(all)).toContain(cpr);

    // What a completed job keeps: metadata.
    const inbox = createInboxQueue(redis, loadConfig(WORKER_SECTIONS, env).pipeline);
    try {
      const job = await inbox.getJob(ids[0] ?? '');
      expect(await job?.getState()).toBe('completed');
      expect(job?.data).toMatchObject({
        source: 'urn:test:source',
        seq: 1,
        channel: { kind: 'amqp', messageId: 'tx-1' },
        beskedId: peekBeskedId(good[0] ?? ''),
        bytesRemoved: { outcome: 'dispatched', bytes: Buffer.byteLength(good[0] ?? '') },
      });
      expect(job?.data.body).toBeUndefined();
      expect(job?.attemptsMade).toBe(1);
      expect(job?.finishedOn).toBeGreaterThan(0);
      const failed = await inbox.getJob(ids[3] ?? '');
      expect(await failed?.getState()).toBe('failed');
      expect(failed?.data).toMatchObject({ bytesRemoved: { outcome: 'dead-lettered' } });
    } finally {
      await inbox.close();
    }
  });

  it('stays exactly-once: a redelivery after completion, after the job expired, and a stripped job run again write nothing', async () => {
    t = pipelineTestEnv();
    const body = fresh(FIXTURES[0] ?? '');
    const [jobId] = await persist(t.env, [body]);
    worker = await startWorker(loadConfig(WORKER_SECTIONS, t.env), quiet);
    const cfg = loadConfig(WORKER_SECTIONS, t.env).pipeline;
    const inbox = createInboxQueue(redis, cfg);
    try {
      const stripped = await waitFor('the job stripped', async () => {
        const j = await inbox.getJob(jobId ?? '');
        return j !== undefined && isStripped(j.data) ? j : undefined;
      });
      const entries = await redis.xrange(t.stream, '-', '+');
      expect(entries).toHaveLength(1);

      // 1. Redelivered while the metadata job exists: BullMQ's job-id check keeps it out.
      expect(await persist(t.env, [body])).toEqual([jobId]);
      // 2. Redelivered after the job is gone (WORKER_KEEP_COMPLETED_SECONDS): the dispatch marker.
      await inbox.remove(jobId ?? '');
      await persist(t.env, [body]);
      // The state first, then the job: a job read before its state changed lacks its return value.
      const completed = (id: string) => async () =>
        (await inbox.getJobState(id)) === 'completed' ? inbox.getJob(id) : undefined;
      const again = await waitFor('the redelivery completed', completed(jobId ?? ''));
      expect(again?.returnvalue).toMatchObject({ duplicate: true, entryId: entries[0]?.[0] });
      // 3. A stripped job that runs again (a worker died before completing it): no parse, no write.
      const rerunId = `${jobId ?? ''}-rerun`;
      await inbox.add('besked', stripped.data, { jobId: rerunId });
      const rerun = await waitFor('the re-run completed', completed(rerunId));
      expect(rerun?.returnvalue).toMatchObject({ duplicate: true, eventId: peekBeskedId(body) });
      // A dead-lettered one fails again rather than being parsed.
      const deadRerun = strippedJobData(
        {
          body: '',
          source: 's',
          receivedAt: 0,
          channel: { kind: 'amqp', messageId: undefined, redelivered: false },
          seq: 9,
        },
        'dead-lettered',
      );
      await inbox.add('besked', deadRerun as unknown as InboxJobData, { jobId: 'dead-rerun', attempts: 1 });
      await waitFor(
        'the dead-lettered re-run failed',
        async () => (await inbox.getJobState('dead-rerun')) === 'failed',
      );
      expect(await redis.xlen(t.stream)).toBe(1);
    } finally {
      await inbox.close();
    }
  });

  it('WORKER_KEEP_COMPLETED_BYTES_SECONDS keeps the bytes for that long, and says so at start', async () => {
    t = pipelineTestEnv({ WORKER_KEEP_COMPLETED_BYTES_SECONDS: '2', RETENTION_INTERVAL_SECONDS: '1' });
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const [jobId] = await persist(t.env, [fresh(FIXTURES[0] ?? '')]);
    worker = await startWorker(loadConfig(WORKER_SECTIONS, t.env), createLogger('test', 'warn', sink));
    expect(lines.join('')).toMatch(/WORKER_KEEP_COMPLETED_BYTES_SECONDS is set: .*CPR numbers included/);
    const inbox = createInboxQueue(redis, loadConfig(WORKER_SECTIONS, t.env).pipeline);
    try {
      const done = await waitFor('completed', async () =>
        (await inbox.getJobState(jobId ?? '')) === 'completed' ? inbox.getJob(jobId ?? '') : undefined,
      );
      expect(typeof done?.data.body).toBe('string');
      const finishedOn = done?.finishedOn ?? 0;
      const stripped = await waitFor(
        'stripped after the window',
        async () => {
          const data: unknown = (await inbox.getJob(jobId ?? ''))?.data;
          return isStripped(data) ? data : undefined;
        },
        { timeoutMs: 8000 },
      );
      expect((stripped?.bytesRemoved.at ?? 0) - finishedOn).toBeGreaterThanOrEqual(2000);
    } finally {
      await inbox.close();
    }
  });
});
