import pino from 'pino';
import {
  amqpConnectionPid,
  closeAmqpConnection,
  deleteAmqpQueue,
  freePort,
  TEST_AMQP_URL,
  uniqueName,
  waitFor,
} from '@cprh/testkit';
import { DueslagConnection, KombitError, type DueslagConnectionOptions } from '../src';

const log = pino({ level: 'silent' });

/** A connection that declares its dueslag on the test broker and retries fast; `extra` overrides. */
function dueslagConnection(queue: string, extra: Partial<DueslagConnectionOptions> = {}): DueslagConnection {
  return new DueslagConnection({
    url: TEST_AMQP_URL,
    queue,
    declareQueue: true,
    retry: { minMs: 50, maxMs: 200 },
    log,
    ...extra,
  });
}

describe('DueslagConnection (real RabbitMQ)', () => {
  let queue: string;
  let conn: DueslagConnection | undefined;
  afterEach(async () => {
    await conn?.close();
    await deleteAmqpQueue(queue);
  });

  it('declares the dueslag durable and reopens after the broker closes the channel', async () => {
    queue = uniqueName('kombit');
    conn = dueslagConnection(queue);
    const lost: unknown[] = [];
    conn.on('lost', (ch) => lost.push(ch));
    const first = await conn.start();
    const q = await first.checkQueue(queue);
    expect(q.queue).toBe(queue);
    // A channel error makes the broker close the channel (404 NOT_FOUND).
    await first.checkQueue(uniqueName('missing')).catch(() => undefined);
    const second = await waitFor('a new channel', () => conn?.channel !== first && conn?.channel, {
      timeoutMs: 5000,
    });
    expect(lost).toEqual([first]);
    expect((await second.checkQueue(queue)).queue).toBe(queue);
  });

  it('reconnects after the broker closes the connection (rabbitmqctl close_connection)', async () => {
    queue = uniqueName('kombit');
    const name = `test ${queue}`;
    conn = dueslagConnection(queue, { connectionName: name });
    const first = await conn.start();
    const pid = await amqpConnectionPid(name);
    expect(pid).toBeDefined();
    await closeAmqpConnection(pid ?? '', 'test');
    const second = await waitFor('a new channel', () => conn?.channel !== first && conn?.channel, {
      timeoutMs: 10000,
    });
    expect((await second.checkQueue(queue)).queue).toBe(queue);
  });

  it('fails at start with one line naming the URL and how to start RabbitMQ', async () => {
    queue = uniqueName('kombit');
    const url = `amqp://guest:secret@127.0.0.1:${await freePort()}`;
    const c = dueslagConnection(queue, { url });
    const err = await c.start().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KombitError);
    expect((err as KombitError).code).toBe('KOMBIT_AMQP_UNREACHABLE');
    expect((err as Error).message).toContain('rabbitmq-server -detached');
    expect((err as Error).message).toContain('127.0.0.1');
    expect((err as Error).message).not.toContain('secret');
  });
});
