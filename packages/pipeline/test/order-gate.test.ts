import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { UnrecoverableError, Worker, type Queue } from 'bullmq';
import type { RedisConnection as Redis } from '@cprh/pipeline';
import { cloudEventJsonSchema } from '@cprh/besked';
import { loadConfig, type Config } from '@cprh/config';
import { pipelineTestEnv, readFixture, type PipelineTestEnv } from '@cprh/testkit';
import {
  createInboxQueue,
  createProducerRedis,
  createWorkerRedis,
  EventDispatcher,
  InboxWriter,
  isBlocked,
  OrderGate,
  orderTicket,
  personOrderKeys,
  type DispatchResult,
  type InboxJobData,
  type OrderTicket,
  type ReceivedMessage,
} from '../src';

const xml = readFixture('beskeder/testbesked01.xml');
const ID = '01157488-c45c-4fd2-b076-1de12effbf66';
/** Message `n` about the person with CPR number `cpr`. */
const msg = (n: number, cpr = '0101701234'): ReceivedMessage => ({
  body: Buffer.from(
    xml
      .replace(ID, `aaaaaaaa-0000-4000-8000-${String(n).padStart(12, '0')}`)
      .replace(/urn:oio:cpr-nr:\d{10}/g, `urn:oio:cpr-nr:${cpr}`),
  ),
  source: 'urn:test',
  receivedAt: 1234,
  channel: { kind: 'amqp', messageId: `m-${n}`, redelivered: false },
});
const eventOf = (n: number) => ({
  specversion: '1.0',
  id: `aaaaaaaa-0000-4000-8000-${String(n).padStart(12, '0')}`,
  source: 'urn:test',
  type: 'dk.kombit.cpr.personhaendelse',
  datacontenttype: 'application/json',
  time: '2016-03-15T08:00:00+01:00',
  data: { n },
});
const noRouting = { eventNames: [], beskedtype: undefined };

// The order gate's scripts against the real Redis: registration, head, release, stale heads.
describe('order per person (real Redis)', () => {
  let t: PipelineTestEnv;
  let cfg: Config['pipeline'];
  let redis: Redis;
  let inbox: Queue<InboxJobData>;
  let writer: InboxWriter;
  let dispatcher: EventDispatcher;
  let gate: OrderGate;

  beforeEach(async () => {
    t = pipelineTestEnv();
    cfg = loadConfig(['pipeline'], t.env).pipeline;
    redis = createProducerRedis(t.env.REDIS_URL ?? '', 'test');
    await redis.connect();
    inbox = createInboxQueue(redis, cfg);
    writer = new InboxWriter(redis, inbox, cfg);
    dispatcher = new EventDispatcher(redis, cfg);
    gate = new OrderGate(redis, inbox, cfg, 300);
  });
  afterEach(async () => {
    await inbox.close();
    redis.disconnect();
    await t.cleanup();
  });

  async function ticketOf(jobId: string): Promise<OrderTicket> {
    const job = await inbox.getJob(jobId);
    if (!job) throw new Error(`no job ${jobId}`);
    return orderTicket(jobId, job.data, job.data.person ?? '');
  }
  const dispatch = (n: number, ticket: OrderTicket) => dispatcher.dispatch(eventOf(n), ticket, noRouting);
  const written = (r: Awaited<ReturnType<typeof dispatch>>): DispatchResult => {
    if (isBlocked(r)) throw new Error(`blocked by ${r.blocked.jobId}`);
    return r;
  };

  it("lets a person's event go only when no earlier one is pending, and names the next", async () => {
    const [j1, j2, other] = await writer.persist([msg(1), msg(2), msg(3, '0202801234')]);
    const [t1, t2, t3] = await Promise.all([ticketOf(j1!), ticketOf(j2!), ticketOf(other!)]);
    expect(t1.person).toBe(t2.person);
    expect(t1.person).not.toBe(t3.person);
    // No CPR number in any key name.
    const keyNames = (await redis.keys(`${t.prefix}*`)).join(' ');
    expect(keyNames).toContain(`${cfg.orderKeyPrefix}c-`);
    for (const cpr of ['0101701234', '0202801234']) expect(keyNames).not.toContain(cpr);

    // Only the job stored behind a pending one of its person looks at the gate before parsing.
    expect((await inbox.getJob(j1!))?.data.behind).toBeUndefined();
    expect((await inbox.getJob(j2!))?.data.behind).toBe(true);
    expect((await inbox.getJob(other!))?.data.behind).toBeUndefined();
    expect(await gate.blockingHead(t2)).toEqual({ jobId: j1, seq: t1.seq });
    expect(await dispatch(2, t2)).toEqual({ blocked: { jobId: j1, seq: t1.seq } });
    // Another person is not held up.
    expect(written(await dispatch(3, t3)).written).toBe(true);
    const first = written(await dispatch(1, t1));
    expect(first).toMatchObject({ written: true, orderBroken: false, next: j2 });
    expect(await gate.blockingHead(t2)).toBeUndefined();
    expect(written(await dispatch(2, t2))).toMatchObject({
      written: true,
      orderBroken: false,
      next: undefined,
    });
    const ids = (await redis.xrange(t.stream, '-', '+')).map(([, f]) => f[f.indexOf('id') + 1]);
    expect(ids.map((id) => Number(id?.slice(-3)))).toEqual([3, 1, 2]);
    // Empty pending sets are gone.
    expect(await redis.exists(personOrderKeys(cfg.orderKeyPrefix, t1.person).pending)).toBe(0);
  });

  it('gives two events of one person in one script call in seq order', async () => {
    const [j1, j2] = await writer.persist([msg(1), msg(2)]);
    const [t1, t2] = await Promise.all([ticketOf(j1!), ticketOf(j2!)]);
    const [r2, r1] = await Promise.all([dispatch(2, t2), dispatch(1, t1)]);
    expect(written(r1).written).toBe(true);
    expect(written(r2).written).toBe(true);
    const entries = await redis.xrange(t.stream, '-', '+');
    expect(entries.map(([, f]) => f[f.indexOf('seq') + 1])).toEqual([String(t1.seq), String(t2.seq)]);
  });

  it('keeps the first seq of a redelivered message whose job was never stored', async () => {
    await writer.persist([msg(1)]);
    const [j1] = await writer.persist([msg(2)]);
    const seq = (await ticketOf(j1!)).seq;
    // The poller died between registering and storing: the job is gone, the registration stays.
    await (await inbox.getJob(j1!))?.remove();
    await writer.persist([msg(7, '0303901234'), msg(8, '0303901234')]);
    const [again] = await writer.persist([msg(2)]);
    expect(again).toBe(j1);
    expect((await ticketOf(j1!)).seq).toBe(seq);
  });

  it('does not register a message again once its job exists (delivered, then redelivered)', async () => {
    const [j1] = await writer.persist([msg(1)]);
    const t1 = await ticketOf(j1!);
    written(await dispatch(1, t1));
    await writer.persist([msg(1)]);
    const pending = personOrderKeys(cfg.orderKeyPrefix, t1.person).pending;
    expect(await redis.zcard(pending)).toBe(0);
  });

  it('takes an event whose dispatch happened before (marker exists) out of the pending set', async () => {
    const [j1, j2] = await writer.persist([msg(1), msg(2)]);
    const [t1, t2] = await Promise.all([ticketOf(j1!), ticketOf(j2!)]);
    await redis.set(`${cfg.dispatchedKeyPrefix}${eventOf(1).id}`, '1-0');
    expect(written(await dispatch(1, t1))).toMatchObject({ written: false, entryId: '1-0', next: j2 });
    expect(await gate.blockingHead(t2)).toBeUndefined();
  });

  it('a dead letter releases the person; the later events and the replay carry orderbroken', async () => {
    const [j1, j2, j3] = await writer.persist([msg(1), msg(2), msg(3)]);
    const [t1, t2, t3] = await Promise.all([ticketOf(j1!), ticketOf(j2!), ticketOf(j3!)]);
    expect(await gate.release(t1)).toEqual({ released: true, next: j2 });
    expect(await gate.release(t1)).toEqual({ released: false, next: j2 }); // a second time: no-op
    const r2 = written(await dispatch(2, t2));
    expect(r2).toMatchObject({ written: true, orderBroken: true, next: j3 });
    expect(written(await dispatch(3, t3)).orderBroken).toBe(true);
    // Replayed (a new job id, replayOf the first): late, so flagged too; the gap is then closed.
    const replay = orderTicket(`${j1}-r1`, { ...(await inbox.getJob(j1!))!.data, replayOf: j1! }, t1.person);
    expect(written(await dispatch(1, replay)).orderBroken).toBe(true);
    expect(await redis.exists(personOrderKeys(cfg.orderKeyPrefix, t1.person).gaps)).toBe(0);
    // A later event of the person, after the gap was closed: not flagged.
    const [j4] = await writer.persist([msg(4)]);
    expect(written(await dispatch(4, await ticketOf(j4!))).orderBroken).toBe(false);

    const entries = await redis.xrange(t.stream, '-', '+');
    const events = entries.map(
      ([, f]) => JSON.parse(f[f.indexOf('event') + 1] ?? '') as { orderbroken?: true },
    );
    expect(events.map((e) => e.orderbroken)).toEqual([true, true, true, undefined]);
    const ajv = new Ajv2020({ strict: false });
    addFormats(ajv);
    const validate = ajv.compile(cloudEventJsonSchema);
    // The extension sits before data; the schema's own fixtures cover data, so check the head part.
    expect(Object.keys(events[0]!)).toEqual([
      'specversion',
      'id',
      'source',
      'type',
      'datacontenttype',
      'time',
      'orderbroken',
      'data',
    ]);
    validate(events[0]);
    expect(
      (validate.errors ?? []).filter((e) => e.instancePath === '' || e.instancePath === '/orderbroken'),
    ).toEqual([]);
  });

  it('releases a head whose job never appeared only after ORDER_STALE_SECONDS, as a gap', async () => {
    const [j1, j2] = await writer.persist([msg(1), msg(2)]);
    const [t1, t2] = await Promise.all([ticketOf(j1!), ticketOf(j2!)]);
    await (await inbox.getJob(j1!))?.remove();
    const head = { jobId: j1!, seq: t1.seq };
    expect(await gate.checkHead(t2, head)).toBe('alive');
    expect(await gate.checkHead(t2, head)).toBe('alive');
    await new Promise((r) => setTimeout(r, 350));
    expect(await gate.checkHead(t2, head)).toBe('released-stale');
    expect(await gate.blockingHead(t2)).toBeUndefined();
    expect(written(await dispatch(2, t2)).orderBroken).toBe(true);
    const keys = personOrderKeys(cfg.orderKeyPrefix, t1.person);
    expect(await redis.exists(keys.missing)).toBe(0);
  });

  it('a head whose job came back before the timeout is waited for, not released', async () => {
    const [j1, j2] = await writer.persist([msg(1), msg(2)]);
    const [t1, t2] = await Promise.all([ticketOf(j1!), ticketOf(j2!)]);
    const job1 = await inbox.getJob(j1!);
    await job1?.remove();
    const head = { jobId: j1!, seq: t1.seq };
    expect(await gate.checkHead(t2, head)).toBe('alive');
    await writer.persist([msg(1)]); // the redelivery
    expect((await ticketOf(j1!)).seq).toBe(t1.seq);
    expect(await gate.checkHead(t2, head)).toBe('alive');
    await new Promise((r) => setTimeout(r, 350));
    expect(await gate.checkHead(t2, head)).toBe('alive');
  });

  it('releases a head whose job failed without releasing (its worker died), as a gap', async () => {
    const [j1, j2] = await writer.persist([msg(1), msg(2)]);
    const [t1, t2] = await Promise.all([ticketOf(j1!), ticketOf(j2!)]);
    // Fail it for good the way a worker does (manual fetch: j1 is first in the queue), but without
    // the release a dying worker never got to.
    const connection = createWorkerRedis(t.env.REDIS_URL ?? '', 'test-worker');
    const w = new Worker<InboxJobData>(cfg.inboxQueue, null, {
      connection,
      prefix: cfg.queuePrefix,
    });
    try {
      const job1 = await w.getNextJob('tok');
      expect(job1?.id).toBe(j1);
      await job1?.moveToFailed(new UnrecoverableError('job stalled more than allowable limit'), 'tok', false);
      expect(await job1?.getState()).toBe('failed');
    } finally {
      await w.close();
      connection.disconnect();
    }
    expect(await gate.checkHead(t2, { jobId: j1!, seq: t1.seq })).toBe('released-finished');
    expect(written(await dispatch(2, t2)).orderBroken).toBe(true);
  });

  it('wakes a waiting job to the front of the wait list, and leaves a job that is not waiting alone', async () => {
    const [j1, j2, j3] = await writer.persist([msg(1), msg(2, '0202801234'), msg(3, '0303901234')]);
    const connection = createWorkerRedis(t.env.REDIS_URL ?? '', 'test-worker');
    const w = new Worker<InboxJobData>(cfg.inboxQueue, null, { connection, prefix: cfg.queuePrefix });
    try {
      const job1 = await w.getNextJob('tok');
      expect(job1?.id).toBe(j1);
      await job1?.moveToDelayed(Date.now() + 60000, 'tok');
      expect(await job1?.getState()).toBe('delayed');
      await gate.wake(j1!);
      expect(await job1?.getState()).toBe('waiting');
      // Taken before the jobs that were waiting already.
      expect((await w.getNextJob('tok2'))?.id).toBe(j1);
      await gate.wake(j2!); // waiting, not delayed: nothing happens
      expect((await w.getNextJob('tok3'))?.id).toBe(j2);
      expect(await inbox.getJobCountByTypes('waiting')).toBe(1);
      expect((await w.getNextJob('tok4'))?.id).toBe(j3);
    } finally {
      await w.close();
      connection.disconnect();
    }
  });
});
