import Redis from 'ioredis';
import { loadWorkbenchConfig } from '@cprh/simulator';
import { createDeadQueue, createInboxQueue } from '@cprh/pipeline';
import {
  pipelineTestEnv,
  spawnTs,
  TEST_REDIS_URL,
  waitFor,
  type PipelineTestEnv,
  type SpawnedProcess,
} from '@cprh/testkit';
import { expectDeliveredExactlyOnce, publish, POLLER_MAIN, WORKER_MAIN } from './support/pipeline-harness';
import { personFeed, readPersonStreams } from './support/person-order';
import { START_SECTIONS } from '@cprh/demo';

const PERSONS = 1000;
const EVENTS_PER_PERSON = 5;
const TOTAL = PERSONS * EVENTS_PER_PERSON;

/** A fake but well-formed CPR number per person (ten digits; the order gate only hashes it). */
const cprOf = (p: number): string =>
  `0101${String(70 + (p % 30)).padStart(2, '0')}${String(p).padStart(4, '0')}`;

// Real poller and 3 worker processes, kill -9 spread over all of them while events flow.
describe('order per person through kill -9 of the poller and of workers', () => {
  let t: PipelineTestEnv;
  let redis: Redis;
  const procs: SpawnedProcess[] = [];

  beforeEach(() => {
    redis = new Redis(TEST_REDIS_URL);
  });
  afterEach(async () => {
    for (const p of procs.splice(0)) await p.stop('SIGKILL').catch(() => undefined);
    await t.cleanup();
    redis.disconnect();
  });

  it(`${TOTAL} events of ${PERSONS} persons: every event exactly once, 0 persons out of order`, async () => {
    t = pipelineTestEnv({
      // A killed worker's jobs are taken over quickly; a job may be caught by several kills.
      WORKER_LOCK_DURATION_MS: '2000',
      WORKER_STALLED_INTERVAL_MS: '500',
      WORKER_MAX_STALLED_COUNT: '10',
      ORDER_WAIT_MS: '500',
      POLLER_BATCH_SIZE: '50',
      POLLER_PREFETCH: '100',
    });
    const { bodies, order } = personFeed({
      persons: PERSONS,
      eventsPerPerson: EVENTS_PER_PERSON,
      cprOf,
      shuffle: true,
    });
    await publish(t.env, bodies);

    const start = (main: string): SpawnedProcess => {
      const p = spawnTs(main, { ...t.env, LOG_LEVEL: 'info' });
      procs.push(p);
      return p;
    };
    const running = {
      poller: start(POLLER_MAIN),
      workers: [start(WORKER_MAIN), start(WORKER_MAIN), start(WORKER_MAIN)],
    };
    await running.poller.waitForLine(/poller ready/, 30000);

    // Kills round robin over the poller and the workers, each restarted at once, while events flow.
    let kills = 0;
    for (let k = 0; k < 8 && (await redis.xlen(t.stream)) < TOTAL; k++, kills++) {
      await new Promise((r) => setTimeout(r, 1000));
      if (k % 4 === 0) {
        await running.poller.stop('SIGKILL');
        running.poller = start(POLLER_MAIN);
        await running.poller.waitForLine(/poller ready/, 30000);
      } else {
        const i = (k % 4) - 1;
        await running.workers[i]!.stop('SIGKILL');
        running.workers[i] = start(WORKER_MAIN);
      }
    }
    expect(kills).toBeGreaterThanOrEqual(4);
    for (const w of running.workers) {
      // Started (signal handlers installed) before it is stopped below.
      await w.waitForLine(/worker started/, 30000);
    }

    const cfg = loadWorkbenchConfig(START_SECTIONS, t.env).pipeline;
    const inbox = createInboxQueue(redis, cfg);
    const dead = createDeadQueue(redis, cfg);
    try {
      await waitFor(`all ${TOTAL} events in the stream`, async () => (await redis.xlen(t.stream)) >= TOTAL, {
        timeoutMs: 180000,
        intervalMs: 500,
      });
      expect(await dead.count()).toBe(0);
    } finally {
      await inbox.close();
      await dead.close();
    }
    for (const p of [running.poller, ...running.workers]) expect(await p.stop('SIGTERM')).toBe(0);
    await expectDeliveredExactlyOnce(redis, t, [...order.keys()]);
    expect((await readPersonStreams(redis, [t.stream], order)).outOfOrder).toEqual([]);
    // Nothing of the order gate stays behind once every event is delivered.
    expect(await redis.keys(`${t.prefix}:order:*`)).toEqual([]);
  }, 300000);
});
