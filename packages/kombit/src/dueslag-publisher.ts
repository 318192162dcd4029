import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import { amqpUnreachable } from './amqp-unreachable';
import { KombitError } from './kombit-error';

export interface PublishOptions {
  url: string;
  queue: string;
  /** Declare the queue durable first (the local RabbitMQ). */
  declareQueue?: boolean;
}

/**
 * Publishes message bodies to a dueslag queue on a local RabbitMQ the way Beskedfordeler delivers
 * them: persistent, content type XML, a fresh `messageId` each. Waits for publisher confirms, so
 * when it resolves every message is stored by the broker. For demos, tests and the simulator.
 */
export async function publishToDueslag(bodies: Iterable<Buffer>, opts: PublishOptions): Promise<number> {
  let conn: amqp.ChannelModel;
  try {
    conn = await amqp.connect(opts.url, { clientProperties: { connection_name: 'cprh-publish' } });
  } catch (err) {
    throw amqpUnreachable(opts.url, err);
  }
  try {
    const ch = await conn.createConfirmChannel();
    if (opts.declareQueue !== false) await ch.assertQueue(opts.queue, { durable: true });
    let n = 0;
    for (const body of bodies) {
      const ok = ch.sendToQueue(opts.queue, body, {
        persistent: true,
        contentType: 'application/xml',
        contentEncoding: 'utf-8',
        messageId: randomUUID(),
        timestamp: Math.floor(Date.now() / 1000),
      });
      n += 1;
      // Respect the socket's backpressure and keep unconfirmed messages bounded.
      if (!ok) await new Promise<void>((r) => ch.once('drain', () => r()));
      if (n % 1000 === 0) await ch.waitForConfirms();
    }
    await ch.waitForConfirms();
    return n;
  } catch (err) {
    if (err instanceof KombitError) throw err;
    throw new KombitError(
      'KOMBIT_PUBLISH_FAILED',
      `publishing to ${opts.queue} failed: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  } finally {
    await conn.close().catch(() => undefined);
  }
}
