import { loadConfig } from '@cprh/config';
import { createInboxQueue, createProducerRedis, InboxWriter, type ReceivedMessage } from '@cprh/pipeline';
import {
  appMain,
  clusterTestEnv,
  spawnTs,
  startRedisCluster,
  TEST_AMQP_URL,
  waitFor,
  type OwnRedisCluster,
} from '@cprh/testkit';
import { Dueslag } from './backlog';
import { averageBytes, makeEnvelopes } from './envelopes';
import { median } from './percentiles';

/**
 * `pnpm --filter @cprh/bench run wait-cost [N]`: what WAIT (REDIS_MIN_REPLICAS_ACK=1) costs the
 * intake on a local 6-node Redis Cluster (deploy/redis-cluster.sh, all nodes on this machine):
 * inbox writes per second without and with WAIT, in the poller's shape (batches of 100, one at a
 * time) and in the receiver's (one message per write, 16 requests at once), and end to end (a
 * backlog in a dueslag of the local RabbitMQ through the real poller and worker into the stream).
 * Each run writes fresh messages under its own prefix; the cluster is stopped at the end.
 */
async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 5000);
  const shapes = [
    { name: 'poller: batches of 100, one at a time', batch: 100, lanes: 1 },
    { name: 'push: 1 message per write, 16 at once', batch: 1, lanes: 16 },
  ];
  const cluster = await startRedisCluster();
  try {
    let seed = 1;
    const rows: string[] = [];
    for (const shape of shapes) {
      // Alternating rounds, median of each: the machine's other load shifts both alike.
      const rates: [number[], number[]] = [[], []];
      // The first round warms up (JIT, connections, the cluster's memory) and is not counted.
      for (const [round, ack] of ([0, 0, 1, 0, 1, 0, 1] as const).entries()) {
        const t = clusterTestEnv(cluster, { REDIS_MIN_REPLICAS_ACK: String(ack) });
        const cfg = loadConfig(['redis', 'pipeline'], t.env);
        const redis = createProducerRedis(cfg.redis, 'wait-cost');
        await redis.connect();
        const inbox = createInboxQueue(redis, cfg.pipeline);
        const writer = new InboxWriter(redis, inbox, cfg.pipeline, cfg.redis);
        const envelopes = makeEnvelopes(n, seed++);
        const messages: ReceivedMessage[] = envelopes.map((e) => ({
          body: e.body,
          source: 'urn:bench',
          receivedAt: Date.now(),
          channel: { kind: 'amqp', messageId: e.messageId, redelivered: false },
        }));
        let next = 0;
        const started = process.hrtime.bigint();
        await Promise.all(
          Array.from({ length: shape.lanes }, async () => {
            for (let i = next; i < messages.length; i = next) {
              next += shape.batch;
              await writer.persist(messages.slice(i, i + shape.batch));
            }
          }),
        );
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        if (round > 0) rates[ack].push(n / seconds);
        await inbox.obliterate({ force: true });
        await inbox.close();
        redis.disconnect();
        if (round === 1)
          rows.push(
            `\n${shape.name} (${n} messages, ${Math.round(averageBytes(envelopes))} B each, median of 3)`,
          );
      }
      const without = median(rates[0]);
      const withWait = median(rates[1]);
      rows.push(
        `  without WAIT ${Math.round(without)} msg/s, with WAIT (1 replica) ${Math.round(withWait)} msg/s: ${(withWait / without).toFixed(2)}x`,
      );
    }
    const e2e: [number[], number[]] = [[], []];
    for (const ack of [0, 1, 0, 1, 0, 1] as const) e2e[ack].push(await endToEnd(cluster, ack, n, seed++));
    rows.push(
      `\nend to end: poller -> inbox -> 1 worker -> stream (${n} messages in a dueslag, median of 3)`,
      `  without WAIT ${Math.round(median(e2e[0]))} events/s, with WAIT ${Math.round(median(e2e[1]))} events/s: ${(median(e2e[1]) / median(e2e[0])).toFixed(2)}x`,
    );
    process.stdout.write(`on a local Redis Cluster (3 masters, 3 replicas)${rows.join('\n')}\n`);
  } finally {
    await cluster.stop();
  }
}

/** Events/s of the pipeline draining a backlog, one poller and one worker process. */
async function endToEnd(cluster: OwnRedisCluster, ack: 0 | 1, n: number, seed: number): Promise<number> {
  const t = clusterTestEnv(cluster, { REDIS_MIN_REPLICAS_ACK: String(ack), LOG_LEVEL: 'info' });
  const dueslag = await Dueslag.open(TEST_AMQP_URL, t.dueslag);
  const cfg = loadConfig(['redis'], t.env);
  const redis = createProducerRedis(cfg.redis, 'wait-cost-e2e');
  const worker = spawnTs(appMain('worker'), t.env);
  let poller: ReturnType<typeof spawnTs> | undefined;
  try {
    await redis.connect();
    await dueslag.preload(makeEnvelopes(n, seed));
    await worker.waitForLine(/worker ready/, 60000);
    poller = spawnTs(appMain('poller'), t.env);
    await waitFor('backlog in the stream', async () => (await redis.xlen(t.stream)) >= n, {
      timeoutMs: 600000,
      intervalMs: 100,
    });
    // From the first entry to the last (entry ids carry the server's ms): start-up is not counted.
    const ms = async (range: Promise<[string, string[]][]>): Promise<number> =>
      Number((await range)[0]?.[0].split('-')[0]);
    const first = await ms(redis.xrange(t.stream, '-', '+', 'COUNT', 1));
    const last = await ms(redis.xrevrange(t.stream, '+', '-', 'COUNT', 1));
    return (n - 1) / (Math.max(1, last - first) / 1000);
  } finally {
    await poller?.stop('SIGTERM');
    await worker.stop('SIGTERM');
    await dueslag.delete();
    redis.disconnect();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`wait-cost: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
