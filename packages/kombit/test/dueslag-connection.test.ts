import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pino from 'pino';
import { deleteAmqpQueue, freePort, TEST_AMQP_URL, uniqueName, waitFor } from '@cprh/testkit';
import { DueslagConnection, KombitError } from '../src';

const run = promisify(execFile);
const log = pino({ level: 'silent' });

describe('DueslagConnection (real RabbitMQ)', () => {
  let queue: string;
  let conn: DueslagConnection | undefined;
  afterEach(async () => {
    await conn?.close();
    await deleteAmqpQueue(queue);
  });

  it('declares the dueslag durable and reopens after the broker closes the channel', async () => {
    queue = uniqueName('kombit');
    conn = new DueslagConnection({
      url: TEST_AMQP_URL,
      queue,
      declareQueue: true,
      retry: { minMs: 50, maxMs: 200 },
      log,
    });
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
    conn = new DueslagConnection({
      url: TEST_AMQP_URL,
      queue,
      declareQueue: true,
      retry: { minMs: 50, maxMs: 200 },
      log,
      connectionName: name,
    });
    const first = await conn.start();
    const { stdout } = await run('rabbitmqctl', ['-q', 'list_connections', 'pid', 'client_properties'], {
      timeout: 20000,
    });
    const line = stdout.split('\n').find((l) => l.includes(name));
    const pid = /<[^>]+>/.exec(line ?? '')?.[0];
    expect(pid).toBeDefined();
    await run('rabbitmqctl', ['-q', 'close_connection', pid ?? '', 'test'], { timeout: 20000 });
    const second = await waitFor('a new channel', () => conn?.channel !== first && conn?.channel, {
      timeoutMs: 10000,
    });
    expect((await second.checkQueue(queue)).queue).toBe(queue);
  });

  it('fails at start with one line naming the URL and how to start RabbitMQ', async () => {
    queue = uniqueName('kombit');
    const url = `amqp://guest:secret@127.0.0.1:${await freePort()}`;
    const c = new DueslagConnection({
      url,
      queue,
      declareQueue: true,
      retry: { minMs: 50, maxMs: 200 },
      log,
    });
    const err = await c.start().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KombitError);
    expect((err as KombitError).code).toBe('KOMBIT_AMQP_UNREACHABLE');
    expect((err as Error).message).toContain('rabbitmq-server -detached');
    expect((err as Error).message).toContain('127.0.0.1');
    expect((err as Error).message).not.toContain('secret');
  });
});
