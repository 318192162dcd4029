import { loadConfig } from '@cprh/config';
import { createInboxQueue, createProducerRedis, InboxWriter, type ReceivedMessage } from '@cprh/pipeline';
import { clusterTestEnv, startRedisCluster } from '@cprh/testkit';
import { averageBytes, makeEnvelopes } from './envelopes';

/**
 * `pnpm --filter @cprh/bench run wait-cost [N]`: what WAIT (REDIS_MIN_REPLICAS_ACK=1) costs the
 * intake on a local 6-node Redis Cluster (deploy/redis-cluster.sh, all nodes on this machine):
 * inbox writes per second without and with WAIT, in the poller's shape (batches of 100, one at a
 * time) and in the receiver's (one message per write, 16 requests at once). Each run writes fresh
 * messages under its own prefix; the cluster is stopped at the end.
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
      for (const ack of [0, 1, 0, 1, 0, 1] as const) {
        const t = clusterTestEnv(cluster, { REDIS_MIN_REPLICAS_ACK: String(ack) });
        const cfg = loadConfig(['redis', 'pipeline'], t.env);
        const redis = createProducerRedis(cfg.redis, 'wait-cost');
        await redis.connect();
        const inbox = createInboxQueue(redis, cfg.pipeline);
        const writer = new InboxWriter(redis, inbox, cfg.pipeline.seqKey, cfg.redis);
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
        rates[ack].push(n / seconds);
        await inbox.obliterate({ force: true });
        await inbox.close();
        redis.disconnect();
        if (ack === 0 && rates[0].length === 1)
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
    process.stdout.write(`inbox writes on a local Redis Cluster (3 masters, 3 replicas)${rows.join('\n')}\n`);
  } finally {
    await cluster.stop();
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

main().catch((err: unknown) => {
  process.stderr.write(`wait-cost: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
