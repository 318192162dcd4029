import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { loadConfig } from '@cprh/config';
import { createEventConsumer } from '@cprh/consumer';
import {
  createProducerRedis,
  partitionPipeline,
  partitionsKey,
  partitionStreams,
  type RedisConnection,
} from '@cprh/pipeline';
import {
  deleteKeysAt,
  pipelineTestEnv,
  spawnTs,
  startRedisCluster,
  TEST_REDIS_URL,
  waitFor,
  type OwnRedisCluster,
  type PipelineTestEnv,
  type SpawnedProcess,
} from '@cprh/testkit';
import {
  expectExactlyOnce,
  publish,
  readyInQueue,
  runCli,
  POLLER_MAIN,
  WORKER_MAIN,
} from './support/pipeline-harness';
import { personFeed, readPersonStreams as readPartitions, spreadClusterEnv } from './support/person-order';

const PERSONS = 200;
const EVENTS_PER_PERSON = 4;
const TOTAL = PERSONS * EVENTS_PER_PERSON;

/** A fake, well-formed CPR number per person (the person key only hashes it). */
const cprOf = (p: number): string =>
  `0202${String(60 + (p % 30)).padStart(2, '0')}${String(p).padStart(4, '0')}`;

const feed = (): ReturnType<typeof personFeed> =>
  personFeed({ persons: PERSONS, eventsPerPerson: EVENTS_PER_PERSON, cprOf });

// PARTITIONS=3: the real poller and two worker processes (one killed with -9), the real RabbitMQ.
describe('PARTITIONS=3', () => {
  let t: PipelineTestEnv | undefined;
  let redis: Redis;
  const procs: SpawnedProcess[] = [];

  beforeEach(() => {
    redis = new Redis(TEST_REDIS_URL);
  });
  afterEach(async () => {
    for (const p of procs.splice(0)) await p.stop('SIGKILL').catch(() => undefined);
    if (t) {
      // The partitions' keys carry their own tags: `{<prefix>:p<n>}…`.
      await deleteKeysAt(TEST_REDIS_URL, `{${t.prefix}:p`);
      await t.cleanup();
    }
    t = undefined;
    redis.disconnect();
  });

  const start = (main: string, env: Record<string, string>): SpawnedProcess => {
    const p = spawnTs(main, { ...env, LOG_LEVEL: 'info' });
    procs.push(p);
    return p;
  };

  it(`${TOTAL} events of ${PERSONS} persons through kill -9 of a worker: exactly once, in order, over 3 partition streams; consumer and events tail read them all`, async () => {
    t = pipelineTestEnv({
      PARTITIONS: '3',
      WORKER_LOCK_DURATION_MS: '2000',
      WORKER_STALLED_INTERVAL_MS: '500',
      WORKER_MAX_STALLED_COUNT: '10',
      ORDER_WAIT_MS: '500',
      POLLER_BATCH_SIZE: '50',
      POLLER_PREFETCH: '100',
      WORKER_CONCURRENCY: '16',
    });
    const pipeline = loadConfig(['pipeline'], t.env).pipeline;
    const streams = partitionStreams(pipeline, t.stream);
    expect(streams).toEqual([0, 1, 2].map((p) => `${t!.prefix}:events:{${t!.prefix}:p${p}}`));
    const { bodies, order } = feed();
    // One message that cannot be parsed: dead-lettered in its partition, found by `cprh dlq`.
    await publish(t.env, [...bodies, Buffer.from('<not-a-besked/>')]);

    const poller = start(POLLER_MAIN, t.env);
    const workers = [start(WORKER_MAIN, t.env), start(WORKER_MAIN, t.env)];
    await poller.waitForLine(/poller ready/, 30000);
    await workers[0]!.waitForLine(/worker started/, 30000);
    const total = async (): Promise<number> =>
      (await Promise.all(streams.map((s) => redis.xlen(s)))).reduce((a, b) => a + b, 0);
    await waitFor('events flowing', async () => (await total()) >= 50, { timeoutMs: 60000, intervalMs: 50 });
    await workers[0]!.stop('SIGKILL');
    workers[0] = start(WORKER_MAIN, t.env);
    await workers[0].waitForLine(/worker started/, 30000);
    await waitFor(`all ${TOTAL} events`, async () => (await total()) >= TOTAL, {
      timeoutMs: 90000,
      intervalMs: 250,
    });
    let listed = '';
    await waitFor('the dead letter', async () => {
      listed = (await runCli(t!.env, ['dlq', 'list'])).stdout.toString('utf8');
      return /attempts=/.test(listed);
    });
    for (const p of [poller, ...workers]) expect(await p.stop('SIGTERM')).toBe(0);
    const deadId = listed.trim().split(/\s+/)[0] ?? '';
    expect(listed.trim().split('\n')).toHaveLength(1);
    const shown = await runCli(t.env, ['dlq', 'show', deadId]);
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.stdout.toString('utf8'))).toMatchObject({ id: deadId });
    // inspect finds it in its partition too (and says why it cannot be parsed).
    const inspected = await runCli(t.env, ['inspect', '--dead', deadId]);
    expect(inspected.stderr).not.toContain('CLI_NOT_FOUND');
    expect(inspected.stderr).toMatch(/BESKED_/);

    const r = await readPartitions(redis, streams, order);
    expectExactlyOnce(r.perStream.flat(), [...order.keys()]);
    expect(await readyInQueue(t.dueslag)).toBe(0);
    expect(r.outOfOrder).toEqual([]);
    expect(r.personsInTwo).toBe(0);
    // Spread: every partition stream has a fair share (200 persons over 3 partitions).
    for (const ids of r.perStream) expect(ids.length).toBeGreaterThan(TOTAL / 6);
    expect(await redis.exists(t.stream)).toBe(0);
    expect(await redis.get(partitionsKey(pipeline))).toBe('3');

    // A consumer of the stream's name reads every partition, each person in order.
    const seen: string[] = [];
    const consumer = createEventConsumer({
      redis: TEST_REDIS_URL,
      stream: t.stream,
      group: 'partition-test',
      consumer: 'c1',
      blockMs: 200,
      handler: async (event) => {
        seen.push(event.id);
      },
    });
    await consumer.start();
    try {
      await waitFor('the consumer read every event', () => seen.length >= TOTAL, { timeoutMs: 30000 });
    } finally {
      await consumer.stop();
    }
    expectExactlyOnce(seen, [...order.keys()]);
    const last = new Map<number, number>();
    for (const id of seen) {
      const o = order.get(id)!;
      expect((last.get(o.person) ?? -1) < o.n).toBe(true);
      last.set(o.person, o.n);
    }

    // `cprh events tail` of the stream's name: every partition's events (--show-cpr: a UUID can look like a CPR number).
    const tail = await runCli(t.env, [
      'events',
      'tail',
      '--from-start',
      '--exit-at-end',
      '--json',
      '--show-cpr',
    ]);
    expect(tail.code).toBe(0);
    const lines = tail.stdout.toString('utf8').split('\n').filter(Boolean);
    expectExactlyOnce(
      lines.map((l) => (JSON.parse(l) as { id: string }).id),
      [...order.keys()],
    );

    // `cprh retention` surveys every partition: a row per partition stream, the families summed.
    const ret = await runCli(t.env, ['retention', '--json']);
    expect(ret.code).toBe(0);
    const survey = JSON.parse(ret.stdout.toString('utf8')) as {
      rows: { id: string; stream?: string; entries: number; keys: number }[];
    };
    const streamRows = survey.rows.filter((row) => row.stream !== undefined);
    expect(streamRows.map((row) => row.stream).sort()).toEqual([...streams].sort());
    expect(streamRows.reduce((n, row) => n + row.entries, 0)).toBe(TOTAL);
    expect(survey.rows.find((row) => row.id === 'dead')?.entries).toBe(1);
    expect(survey.rows.find((row) => row.id === 'sequence')?.keys).toBe(3);

    // `cprh erase` looks in every partition: one person's 4 events leave their partition stream.
    const dir = mkdtempSync(join(tmpdir(), 'cprh-part-'));
    try {
      writeFileSync(join(dir, 'cpr.txt'), `${cprOf(1)}\n`);
      const erased = await runCli(t.env, ['erase', '--cpr-file', join(dir, 'cpr.txt')]);
      expect(erased.code).toBe(0);
      expect(erased.stdout.toString('utf8')).toMatch(/stream [^\n]*:\{[^\n]*:p\d\}: removed 4/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const left = (await readPartitions(redis, streams, order)).perStream.flat();
    expect(left).toHaveLength(TOTAL - EVENTS_PER_PERSON);
  }, 180000);

  it('WORKER_PARTITIONS: a worker serves only its partitions; another takes the rest; a wrong number is refused', async () => {
    t = pipelineTestEnv({ PARTITIONS: '3', POLLER_BATCH_SIZE: '50', POLLER_PREFETCH: '100' });
    const pipeline = loadConfig(['pipeline'], t.env).pipeline;
    const streams = partitionStreams(pipeline, t.stream);
    const bad = start(WORKER_MAIN, { ...t.env, WORKER_PARTITIONS: '1,3' });
    expect(await bad.waitForExit(30000)).toBe(1);
    expect(bad.lines.join('\n')).toContain(
      'WORKER_PARTITIONS names partition 3, but PARTITIONS=3 has partitions 0..2',
    );
    const { bodies, order } = feed();
    await publish(t.env, bodies);
    const poller = start(POLLER_MAIN, t.env);
    const w02 = start(WORKER_MAIN, { ...t.env, WORKER_PARTITIONS: '0,2' });
    await poller.waitForLine(/poller ready/, 30000);
    await w02.waitForLine(/worker started/, 30000);
    const lengths = async (): Promise<number[]> => Promise.all(streams.map((s) => redis.xlen(s)));
    const inbox1 = `${partitionPipeline(pipeline, 1).queuePrefix}:${pipeline.inboxQueue}:wait`;
    await waitFor(
      'partitions 0 and 2 done, 1 waiting',
      async () => {
        const [a, b, c] = await lengths();
        return b === 0 && a! + c! + (await redis.llen(inbox1)) >= TOTAL;
      },
      { timeoutMs: 60000, intervalMs: 250 },
    );
    expect((await lengths())[1]).toBe(0);
    const w1 = start(WORKER_MAIN, { ...t.env, WORKER_PARTITIONS: '1' });
    await waitFor('all events', async () => (await lengths()).reduce((x, y) => x + y, 0) >= TOTAL, {
      timeoutMs: 60000,
      intervalMs: 250,
    });
    for (const p of [poller, w02, w1]) expect(await p.stop('SIGTERM')).toBe(0);
    const r = await readPartitions(redis, streams, order);
    expectExactlyOnce(r.perStream.flat(), [...order.keys()]);
    expect(r.outOfOrder).toEqual([]);
  }, 120000);

  it('a PARTITIONS other than the data was written with is refused with one line', async () => {
    t = pipelineTestEnv({ PARTITIONS: '3' });
    const pipeline = loadConfig(['pipeline'], t.env).pipeline;
    // Data written with one partition (its receive sequence exists): PARTITIONS=3 is refused.
    await redis.set(pipeline.seqKey, '7');
    const w1 = start(WORKER_MAIN, t.env);
    expect(await w1.waitForExit(30000)).toBe(1);
    expect(w1.lines.join('\n')).toMatch(
      /written with PARTITIONS=1 .*this process has PARTITIONS=3: set PARTITIONS=1/,
    );
    await redis.del(pipeline.seqKey);
    // A first start with 3 records it; then the poller with 2, and a worker with 1, are refused.
    const w2 = start(WORKER_MAIN, t.env);
    await w2.waitForLine(/worker started/, 30000);
    expect(await w2.stop('SIGTERM')).toBe(0);
    expect(await redis.get(partitionsKey(pipeline))).toBe('3');
    const p = start(POLLER_MAIN, { ...t.env, PARTITIONS: '2' });
    expect(await p.waitForExit(30000)).toBe(1);
    expect(p.lines.join('\n')).toContain('PARTITIONS=3');
    const w3 = start(WORKER_MAIN, { ...t.env, PARTITIONS: '1' });
    expect(await w3.waitForExit(30000)).toBe(1);
    expect(w3.lines.join('\n')).toMatch(
      /written with PARTITIONS=3 .*this process has PARTITIONS=1: set PARTITIONS=3/,
    );
  }, 60000);
});

describe('PARTITIONS=3 on a Redis Cluster', () => {
  let cluster: OwnRedisCluster | undefined;
  let t: PipelineTestEnv | undefined;
  let redis: RedisConnection | undefined;
  const procs: SpawnedProcess[] = [];

  afterEach(async () => {
    for (const p of procs.splice(0)) await p.stop('SIGKILL').catch(() => undefined);
    redis?.disconnect();
    await t?.cleanup();
    await cluster?.stop();
  });

  it('the partitions live on more than one master; every event once, in order', async () => {
    cluster = await startRedisCluster();
    const spread = await spreadClusterEnv(cluster, 3, { POLLER_BATCH_SIZE: '50', POLLER_PREFETCH: '100' });
    t = spread.t;
    const masters = spread.masters;
    expect(masters.size).toBeGreaterThanOrEqual(2);
    const env = t.env;
    const pipeline = loadConfig(['pipeline'], env).pipeline;
    const streams = partitionStreams(pipeline, t.stream);
    redis = createProducerRedis(loadConfig(['redis'], env).redis, 'partitions-cluster-test');
    await redis.connect();
    const { bodies, order } = feed();
    await publish(env, bodies);
    const poller = spawnTs(POLLER_MAIN, { ...env, LOG_LEVEL: 'info' });
    const worker = spawnTs(WORKER_MAIN, { ...env, LOG_LEVEL: 'info' });
    procs.push(poller, worker);
    await poller.waitForLine(/poller ready/, 30000);
    const conn = redis;
    await waitFor(
      `all ${TOTAL} events`,
      async () => (await Promise.all(streams.map((s) => conn.xlen(s)))).reduce((a, b) => a + b, 0) >= TOTAL,
      { timeoutMs: 90000, intervalMs: 250 },
    );
    expect(await poller.stop('SIGTERM')).toBe(0);
    expect(await worker.stop('SIGTERM')).toBe(0);
    const r = await readPartitions(redis, streams, order);
    expectExactlyOnce(r.perStream.flat(), [...order.keys()]);
    expect(r.outOfOrder).toEqual([]);
    for (const ids of r.perStream) expect(ids.length).toBeGreaterThan(0);
    // The stream masters are the partitions' masters: spread too.
    expect(new Set(await Promise.all(streams.map((s) => cluster!.masterOf(s)))).size).toBe(masters.size);
  }, 240000);
});
