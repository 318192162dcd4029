import amqp from 'amqplib';
import { TEST_AMQP_URL } from './amqp-helpers';

export interface QueuedMessage {
  readonly body: string;
  readonly messageId: string | undefined;
  readonly persistent: boolean;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Takes messages from one queue into `list`; false when the queue does not exist (yet). */
async function drainOne(
  conn: amqp.ChannelModel,
  queue: string,
  list: QueuedMessage[],
  expected: number,
  deadline: number,
): Promise<boolean> {
  const ch = await conn.createChannel();
  ch.on('error', () => undefined);
  try {
    for (;;) {
      const msg = await ch.get(queue, { noAck: true });
      if (msg) {
        list.push({
          body: msg.content.toString('utf8'),
          messageId: msg.properties.messageId as string | undefined,
          persistent: msg.properties.deliveryMode === 2,
        });
        continue;
      }
      if (list.length >= expected || Date.now() > deadline) break;
      await pause(50);
    }
    await ch.close();
    return true;
  } catch {
    return false;
  }
}

/**
 * Takes every message from the queues (basic.get, acked), waiting until the `expected` count of
 * each is reached or the deadline passes. The queues stay (delete them with deleteAmqpQueue).
 */
export async function drainQueues(
  queues: readonly string[],
  expected: Record<string, number> = {},
  timeoutMs = 5000,
  url: string = TEST_AMQP_URL,
): Promise<Record<string, QueuedMessage[]>> {
  const conn = await amqp.connect(url);
  conn.on('error', () => undefined);
  try {
    const out: Record<string, QueuedMessage[]> = {};
    const deadline = Date.now() + timeoutMs;
    for (const q of queues) {
      const list: QueuedMessage[] = [];
      out[q] = list;
      // basic.get on a missing queue closes the channel; when messages are expected, wait for the
      // queue to appear until the deadline.
      const want = expected[q] ?? 0;
      while (!(await drainOne(conn, q, list, want, deadline)) && want > 0 && Date.now() <= deadline) {
        await pause(100);
      }
    }
    return out;
  } finally {
    await conn.close().catch(() => undefined);
  }
}

/** Messages of one queue (see drainQueues). */
export async function drainQueue(queue: string, expected = 0, timeoutMs = 5000): Promise<QueuedMessage[]> {
  return (await drainQueues([queue], { [queue]: expected }, timeoutMs))[queue] ?? [];
}
