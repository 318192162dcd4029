import Redis from 'ioredis';
import { loadConfig } from '@cprh/config';
import { rewriteBeskedId } from '@cprh/simulator';
import {
  createDeadQueue,
  PartitionedDeadLetters,
  partitionPipeline,
  type DeadLetterWithMove,
} from '@cprh/pipeline';
import { type RunningService } from '@cprh/runtime';
import { POLLER_SECTIONS, startPoller } from '@cprh/poller';
import {
  deleteKeysAt,
  freePort,
  makeDevPki,
  pipelineTestEnv,
  TEST_REDIS_URL,
  waitFor,
  type DevPki,
  type PipelineTestEnv,
} from '@cprh/testkit';
import { startWorker, WORKER_SECTIONS } from '@cprh/worker';
import { capturingLogger, publish, SAMPLE } from './support/pipeline-harness';
import { startSimForVaerdilister, type SimForVaerdilister } from '@cprh/simulator/sim-for-vaerdilister';

// KOMBIT_MOVE_DEAD_TO_ERROR_QUEUE with PARTITIONS=3: a dead letter in any partition is moved, by a
// worker that serves only another partition too (the move requests are shared).
describe('dead letters to the KOMBIT error queue with PARTITIONS=3', () => {
  let t: PipelineTestEnv;
  let pki: DevPki;
  let redis: Redis;
  let s: SimForVaerdilister | undefined;
  const services: RunningService[] = [];
  const { log } = capturingLogger('info');

  beforeAll(async () => {
    pki = makeDevPki();
    const port = await freePort();
    t = pipelineTestEnv({
      PARTITIONS: '3',
      KOMBIT_MOVE_DEAD_TO_ERROR_QUEUE: 'true',
      KOMBIT_ERROR_QUEUE_BACKOFF_MS: '200',
      KOMBIT_ERROR_QUEUE_ATTEMPTS: '40',
      VAERDILISTE_URL: `https://127.0.0.1:${port}/sts-bf-soap/StsbeskedfordelerImpl`,
      VAERDILISTE_TIMEOUT_MS: '2000',
      CLIENT_CERT_FILE: pki.path('client.crt'),
      CLIENT_KEY_FILE: pki.path('client.key'),
      CA_FILE: pki.path('ca.crt'),
      SIM_SEED: '7',
    });
    redis = new Redis(TEST_REDIS_URL);
    s = await startSimForVaerdilister(t.env, [], { soapPort: port, pki });
  });
  afterAll(async () => {
    for (const svc of services.reverse()) await svc.stop();
    await s?.stop();
    await deleteKeysAt(TEST_REDIS_URL, `{${t.prefix}:p`);
    await t.cleanup();
    redis.disconnect();
    pki.remove();
  });

  it('moves dead letters of every partition', async () => {
    const pipeline = loadConfig(['pipeline'], t.env).pipeline;
    // Three persons' messages without a Beskedtype (dead-lettered), likely in different partitions.
    const ids = [
      '6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a01',
      '6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a02',
      '6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a03',
    ];
    const bodies = ids.map((id, i) =>
      Buffer.from(
        rewriteBeskedId(SAMPLE, id)
          .replace(/<ns2:Beskedtype>[\s\S]*?<\/ns2:Beskedtype>/, '')
          .replace(/urn:oio:cpr-nr:\d{10}/g, `urn:oio:cpr-nr:010190000${i}`),
      ),
    );
    await publish(t.env, bodies);
    // This worker serves partition 0 only; the others' dead letters come from a second one.
    services.push(await startWorker(loadConfig(WORKER_SECTIONS, { ...t.env, WORKER_PARTITIONS: '0' }), log));
    services.push(
      await startWorker(loadConfig(WORKER_SECTIONS, { ...t.env, WORKER_PARTITIONS: '1,2' }), log),
    );
    services.push(await startPoller(loadConfig(POLLER_SECTIONS, t.env), log));
    const dl = new PartitionedDeadLetters(redis, pipeline);
    try {
      await waitFor(
        'all three moved',
        async () =>
          (await dl.list()).filter((j) => (j.data as DeadLetterWithMove).fejlkoe?.state === 'moved')
            .length === 3,
        { timeoutMs: 30_000 },
      );
    } finally {
      await dl.close();
    }
    expect((await redis.lrange(`${t.prefix}:sim:fejlkoe`, 0, -1)).sort()).toEqual(ids);
    // They lie in more than one partition (so moves crossed partitions).
    const holding = await Promise.all(
      [0, 1, 2].map(async (p) => {
        const q = createDeadQueue(redis, partitionPipeline(pipeline, p));
        try {
          return await q.count();
        } finally {
          await q.close();
        }
      }),
    );
    expect(holding.filter((n) => n > 0).length).toBeGreaterThan(1);
  });
});
