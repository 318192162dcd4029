import amqp from 'amqplib';

export const TEST_AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';

/** Runs `fn` with a short-lived channel on the shared RabbitMQ. */
export async function withAmqpChannel<T>(
  fn: (ch: amqp.Channel) => Promise<T>,
  url: string = TEST_AMQP_URL,
): Promise<T> {
  const conn = await amqp.connect(url);
  // A server-closed channel (e.g. checkQueue on a missing queue) rejects `fn`; no stray 'error' event.
  conn.on('error', () => undefined);
  try {
    const ch = await conn.createChannel();
    ch.on('error', () => undefined);
    return await fn(ch);
  } finally {
    await conn.close().catch(() => undefined);
  }
}

/** Messages ready plus unacked are not both visible here; this is `messageCount` (ready only). */
export async function queueDepth(queue: string, url?: string): Promise<{ ready: number; consumers: number }> {
  return withAmqpChannel(async (ch) => {
    const q = await ch.checkQueue(queue);
    return { ready: q.messageCount, consumers: q.consumerCount };
  }, url);
}

export async function deleteAmqpQueue(queue: string, url?: string): Promise<void> {
  await withAmqpChannel(async (ch) => {
    await ch.deleteQueue(queue);
  }, url).catch(() => undefined);
}

/** Deletes a test's queues (missing ones are fine). */
export async function deleteAmqpQueues(queues: readonly string[], url?: string): Promise<void> {
  for (const q of queues) await deleteAmqpQueue(q, url);
}
