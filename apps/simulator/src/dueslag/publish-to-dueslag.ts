import { randomUUID } from 'node:crypto';
import { amqpUnreachable } from '@cprh/kombit';
import { PullPublisher } from './pull-publisher';

export interface PublishOptions {
  url: string;
  queue: string;
  /** Declare the queue durable first (the local RabbitMQ). */
  declareQueue?: boolean;
}

/**
 * Publishes message bodies, byte for byte, to a dueslag queue on a local RabbitMQ the way
 * Beskedfordeler delivers them (the simulator's PullPublisher): persistent, content type XML, a
 * fresh `messageId` each. Resolves once the broker confirmed every message. For demos and tests.
 */
export async function publishToDueslag(bodies: Iterable<Buffer>, opts: PublishOptions): Promise<number> {
  let publisher: PullPublisher;
  try {
    publisher = await PullPublisher.connect(opts.url);
  } catch (err) {
    throw amqpUnreachable(opts.url, err);
  }
  try {
    let n = 0;
    for (const body of bodies) {
      await publisher.publish(opts.queue, body, randomUUID(), { declareQueue: opts.declareQueue !== false });
      n += 1;
    }
    await publisher.flush();
    return n;
  } finally {
    await publisher.close().catch(() => undefined);
  }
}
