import Redis from 'ioredis';
import { loadConfig } from '@cprh/config';
import { KombitError, ServiceStatusError } from '@cprh/kombit';
import {
  createDeadQueue,
  createErrorQueueMoves,
  createWorkerRedis,
  encodeBody,
  recordDeadLetter,
  type DeadLetterWithMove,
  type InboxJobData,
} from '@cprh/pipeline';
import { createLogger } from '@cprh/runtime';
import { pipelineTestEnv, readFixture, TEST_REDIS_URL, waitFor, type PipelineTestEnv } from '@cprh/testkit';
import { startErrorQueueMoveWorker } from '../src/error-queue-move-worker';

// The mover's decisions with a stand-in for the client (the SOAP call itself is tested against
// the simulator in e2e/test/dead-to-error-queue.test.ts): what is retried, what is final.
describe('error queue move worker', () => {
  let t: PipelineTestEnv;
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  afterEach(async () => t.cleanup());
  afterAll(() => redis.disconnect());

  const pulled: InboxJobData = {
    body: encodeBody(Buffer.from(readFixture('beskeder/testbesked01.xml'))),
    source: 'urn:test',
    receivedAt: 1,
    seq: 1,
    channel: { kind: 'amqp', messageId: 'm', redelivered: false },
  };
  const failure = {
    code: 'BESKED_FIELD_MISSING',
    message: 'x',
    attempts: 1,
    firstFailedAt: 1,
    lastFailedAt: 1,
  } as const;

  async function run(
    flyt: (xml: string) => Promise<void>,
    id: string,
  ): Promise<DeadLetterWithMove['fejlkoe']> {
    t = pipelineTestEnv();
    const cfg = loadConfig(['pipeline'], t.env).pipeline;
    const dead = createDeadQueue(redis, cfg);
    const moves = createErrorQueueMoves(redis, cfg, { attempts: 4, backoffMs: 50 });
    const conn = createWorkerRedis(TEST_REDIS_URL, 'test-mover');
    const mover = startErrorQueueMoveWorker({
      connection: conn,
      pipeline: cfg,
      dead,
      client: { flytBeskedTilFejlkoe: flyt },
      maxBytes: 1_000_000,
      log: createLogger('test', 'silent'),
    });
    try {
      await recordDeadLetter(dead, id, pulled, failure, undefined, moves);
      const final = (s: string | undefined): boolean => s === 'moved' || s === 'failed';
      await waitFor(
        'a final state',
        async () => final(((await dead.getJob(id))?.data as DeadLetterWithMove).fejlkoe?.state),
        { timeoutMs: 10_000 },
      );
      return ((await dead.getJob(id))?.data as DeadLetterWithMove).fejlkoe;
    } finally {
      await mover.close();
      await moves.close();
      await dead.close();
      conn.disconnect();
    }
  }

  it('sends the message as XML and retries transient failures until it gets through', async () => {
    const sent: string[] = [];
    let calls = 0;
    const record = await run(async (xml) => {
      calls += 1;
      if (calls < 3)
        throw new KombitError('KOMBIT_SOAP_TIMEOUT', 'flytbeskedtilfejlkoe: no answer within 2000 ms');
      sent.push(xml);
    }, 'b-retried');
    expect(record).toMatchObject({ state: 'moved', attempts: 3 });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(/^<ns2:Haendelsesbesked /);
  });

  it('a StatusKode 40 answer is final at once, with its text on the dead letter', async () => {
    let calls = 0;
    const record = await run(async () => {
      calls += 1;
      throw new ServiceStatusError('flytbeskedtilfejlkoe', 40, 'Beskeden findes ikke');
    }, 'b-refused');
    expect(record).toMatchObject({
      state: 'failed',
      attempts: 1,
      code: 'KOMBIT_SERVICE_STATUS',
      message: 'flytbeskedtilfejlkoe: StatusKode 40: Beskeden findes ikke',
    });
    expect(calls).toBe(1);
  });
});
