import Redis from 'ioredis';
import { loadConfig } from '@cprh/config';
import { rewriteBeskedId } from '@cprh/simulator';
import { createDeadQueue, type DeadLetterWithMove } from '@cprh/pipeline';
import { type RunningService } from '@cprh/runtime';
import { POLLER_SECTIONS, startPoller } from '@cprh/poller';
import {
  freePort,
  makeDevPki,
  pipelineTestEnv,
  TEST_REDIS_URL,
  waitFor,
  type DevPki,
  type PipelineTestEnv,
} from '@cprh/testkit';
import { startWorker, WORKER_SECTIONS } from '@cprh/worker';
import {
  capturingLogger,
  freshMessages,
  publish,
  SAMPLE,
  waitForStreamLength,
} from './support/pipeline-harness';
import { runCli } from '@cprh/testkit';
import { startSimForVaerdilister, type SimForVaerdilister } from '@cprh/simulator/sim-for-vaerdilister';

// KOMBIT_MOVE_DEAD_TO_ERROR_QUEUE: a pulled message that is dead-lettered here is sent to
// flytbeskedtilfejlkoe (the simulator's, over mutual TLS); the outcome is written on the dead
// letter, failures are retried, and none of it holds up the pipeline.
/** The person in KOMBIT's sample message. */
const CPR = '2512484916';

describe('dead letters to the KOMBIT error queue', () => {
  let t: PipelineTestEnv;
  let pki: DevPki;
  let redis: Redis;
  let port: number;
  let s: SimForVaerdilister | undefined;
  const services: RunningService[] = [];
  const { log, lines } = capturingLogger('info');

  beforeAll(async () => {
    pki = makeDevPki();
    port = await freePort();
    t = pipelineTestEnv({
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
  });
  afterAll(async () => {
    for (const svc of services.reverse()) await svc.stop();
    await s?.stop();
    await t.cleanup();
    redis.disconnect();
    pki.remove();
  });

  const deadLetters = async (): Promise<DeadLetterWithMove[]> => {
    const dead = createDeadQueue(redis, loadConfig(['pipeline'], t.env).pipeline);
    try {
      return (await dead.getJobs(['waiting', 'delayed', 'prioritized'])).map(
        (j) => j.data as DeadLetterWithMove,
      );
    } finally {
      await dead.close();
    }
  };
  const moveState = async (beskedId: string): Promise<DeadLetterWithMove['fejlkoe']> =>
    (await deadLetters()).find((d) => d.inboxJobId === `b-${beskedId}`)?.fejlkoe;

  it('moves a dead-lettered pulled message once the service answers; the stream keeps flowing meanwhile', async () => {
    const unparseableId = '6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b';
    // Well-formed, but no Beskedtype: the worker dead-letters it (BESKED_FIELD_MISSING).
    const noBeskedtype = rewriteBeskedId(SAMPLE, unparseableId).replace(
      /<ns2:Beskedtype>[\s\S]*?<\/ns2:Beskedtype>/,
      '',
    );
    expect(noBeskedtype).toContain(CPR);
    const good = freshMessages(5);
    await publish(t.env, [
      Buffer.from(noBeskedtype),
      Buffer.from('<Haendelsesbesked xmlns="urn:oio:besked:kuvert:1.0"><BeskedVersion>1<cut'),
      ...good.bodies,
    ]);
    services.push(await startWorker(loadConfig(WORKER_SECTIONS, t.env), log));
    services.push(await startPoller(loadConfig(POLLER_SECTIONS, t.env), log));

    // Nothing listens on the service's port yet: the good messages flow, the move waits.
    await waitForStreamLength(redis, t.stream, 5);
    await waitFor(
      'the move to be tried and pending',
      async () => (await moveState(unparseableId))?.state === 'pending',
      { timeoutMs: 20_000 },
    );
    const pending = await moveState(unparseableId);
    expect(pending).toMatchObject({ state: 'pending', code: 'KOMBIT_SOAP_UNREACHABLE' });
    const skipped = (await deadLetters()).find((d) => d.inboxJobId.startsWith('raw-'));
    await waitFor(
      'the malformed one to be skipped',
      async () => (await deadLetters()).some((d) => d.fejlkoe?.state === 'skipped'),
      { timeoutMs: 20_000 },
    );
    expect(skipped?.code).toBe('BESKED_XML_MALFORMED');
    expect((await deadLetters()).find((d) => d.inboxJobId.startsWith('raw-'))?.fejlkoe).toMatchObject({
      state: 'skipped',
      code: 'WORKER_NOT_SENDABLE_TO_ERROR_QUEUE',
      message: 'cannot be sent: not well-formed XML',
    });

    // The service comes up: the retry gets through and is recorded.
    s = await startSimForVaerdilister(t.env, [], { soapPort: port, pki });
    await waitFor('the move to succeed', async () => (await moveState(unparseableId))?.state === 'moved', {
      timeoutMs: 30_000,
    });
    expect((await moveState(unparseableId))?.attempts).toBeGreaterThan(1);
    expect(await redis.lrange(`${t.prefix}:sim:fejlkoe`, 0, -1)).toEqual([unparseableId]);
    expect(await redis.xlen(t.stream)).toBe(5);
    expect(lines.join('\n')).not.toContain(CPR); // the message's CPR number is in no log line
    const listed = await runCli(['dlq', 'list'], t.env);
    expect(listed.stdout).toMatch(
      new RegExp(`^b-${unparseableId}  BESKED_FIELD_MISSING .* fejlkoe=moved `, 'm'),
    );
    expect(listed.stdout).toMatch(/^raw-\S+ {2}BESKED_XML_MALFORMED .* fejlkoe=skipped /m);
  });
});
