import amqp from 'amqplib';
import { TEST_AMQP_URL } from '@cprh/testkit';
import { Dueslag } from './backlog';
import type { Envelope } from './envelopes';
import { runNames } from './pipeline-processes';

/**
 * Bare amqplib: consume the preloaded backlog with the poller's prefetch and batch size and a
 * `multiple` ack per batch, doing nothing else. The most the broker and amqplib allow here.
 */
export async function bareAmqp(
  envelopes: readonly Envelope[],
  prefetch = 200,
  batch = 100,
): Promise<{ seconds: number; perSecond: number }> {
  const { dueslag: queue } = runNames();
  const dueslag = await Dueslag.open(TEST_AMQP_URL, queue);
  const conn = await amqp.connect(TEST_AMQP_URL);
  try {
    await dueslag.preload(envelopes);
    const ch = await conn.createChannel();
    await ch.prefetch(prefetch);
    const n = envelopes.length;
    let seen = 0;
    const started = Date.now();
    await new Promise<void>((resolve) => {
      void ch.consume(queue, (m) => {
        if (m === null) return;
        seen++;
        if (seen % batch === 0 || seen === n) ch.ack(m, true);
        if (seen === n) resolve();
      });
    });
    const seconds = (Date.now() - started) / 1000;
    return { seconds, perSecond: n / seconds };
  } finally {
    await conn.close().catch(() => undefined);
    await dueslag.delete();
  }
}
