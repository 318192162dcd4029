/**
 * The bare pipeline's producer (bare-pipeline.ts): amqplib consumes the dueslag with the poller's
 * prefetch, and each batch goes to BullMQ with one addBulk, then is acked (`multiple`) once its
 * jobs are stored; batches do not wait for each other. None of our code but the inbox job shape.
 * Starts consuming on SIGUSR2.
 * Env: AMQP_URL, DUESLAG_QUEUE, REDIS_URL, QUEUE_PREFIX, INBOX_QUEUE, BARE_PREFETCH, BARE_BATCH.
 */
import amqp from 'amqplib';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { encodeBody, type InboxJobData } from '@cprh/pipeline';

async function main(): Promise<void> {
  const env = process.env;
  const prefetch = Number(env.BARE_PREFETCH ?? 200);
  const batchSize = Number(env.BARE_BATCH ?? 100);
  const connection = new Redis(env.REDIS_URL ?? '', { maxRetriesPerRequest: null });
  const queue = new Queue<InboxJobData>(env.INBOX_QUEUE ?? 'inbox', {
    connection,
    prefix: env.QUEUE_PREFIX ?? '',
    defaultJobOptions: { attempts: 8, backoff: { type: 'exponential', delay: 1000 } },
  });
  const conn = await amqp.connect(env.AMQP_URL ?? '');
  const ch = await conn.createChannel();
  await ch.prefetch(prefetch);
  let batch: amqp.ConsumeMessage[] = [];
  let seq = 0;
  let chain = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const msgs = batch;
    batch = [];
    if (msgs.length === 0) return;
    // Sent at once (a batch need not wait for the one before), acked in order once stored.
    const stored = queue.addBulk(
      msgs.map((m) => ({
        name: 'besked',
        data: {
          body: encodeBody(m.content),
          source: 'urn:kombit:beskedfordeler:dueslag:bench',
          receivedAt: Date.now(),
          channel: {
            kind: 'amqp',
            messageId: (m.properties.messageId as string | undefined) ?? undefined,
            redelivered: m.fields.redelivered,
          },
          seq: ++seq,
        },
        opts: { jobId: `b-${String(m.properties.messageId)}` },
      })),
    );
    chain = Promise.all([chain, stored]).then(() => ch.ack(msgs[msgs.length - 1]!, true));
  };
  process.on('SIGUSR2', () => {
    void ch.consume(env.DUESLAG_QUEUE ?? '', (m) => {
      if (m === null) return;
      batch.push(m);
      if (batch.length >= batchSize) flush();
      else if (timer === undefined) timer = setTimeout(flush, 20); // the tail of the backlog
    });
  });
  process.on('SIGTERM', () => {
    void chain
      .then(() => conn.close())
      .then(() => queue.close())
      .finally(() => process.exit(0));
  });
  process.stdout.write('bare producer ready\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`bare producer: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
