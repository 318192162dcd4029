import { loadConfig } from '@cprh/config';
import {
  createProducerRedis,
  partitionPipeline,
  partitionStreams,
  type RedisConnection,
} from '@cprh/pipeline';
import { clusterTestEnv, sleep, startRedisCluster, TEST_AMQP_URL, type OwnRedisCluster } from '@cprh/testkit';
import { Dueslag } from './backlog';
import type { Envelope } from './envelopes';
import { spawnPoller, spawnWorker, type MeasuredProcess } from './pipeline-processes';
import { fmt, renderTable } from './report-table';

/** One run of the pipeline on the local Redis Cluster. */
export interface ClusterRunResult {
  partitions: number;
  /** Masters the partitions' slots are on. */
  masters: number;
  messages: number;
  seconds: number;
  perSecond: number;
  /** Poller and worker CPU ms per message (Redis's is spread over 6 nodes: not counted). */
  cpuMsPerMessage: Record<string, number>;
}

/**
 * The pipeline on a local Redis Cluster (testkit's startRedisCluster: 6 nodes, 3 masters with a
 * replica each, AOF everysec, all on this machine), 1 poller and 1 worker process, WAIT for 1
 * replica on (the cluster default), with 1 partition and with `partitions` (8) spread over the 3
 * masters. Same envelopes for both; the cluster is started once and stopped at the end.
 */
export async function clusterRuns(
  envelopes: readonly Envelope[],
  partitionCounts: readonly number[],
  stallMs: number,
  step: (what: string) => void,
): Promise<ClusterRunResult[]> {
  step('cluster: starting 6 nodes');
  const cluster = await startRedisCluster();
  try {
    const out: ClusterRunResult[] = [];
    for (const partitions of partitionCounts) {
      step(`cluster: ${partitions} partition${partitions === 1 ? '' : 's'}, ${envelopes.length} envelopes`);
      out.push(await clusterRun(cluster, envelopes, partitions, stallMs));
    }
    return out;
  } finally {
    await cluster.stop();
  }
}

async function clusterRun(
  cluster: OwnRedisCluster,
  envelopes: readonly Envelope[],
  partitions: number,
  stallMs: number,
): Promise<ClusterRunResult> {
  const t = clusterTestEnv(cluster, { PARTITIONS: String(partitions), LOG_LEVEL: 'info' });
  const cfg = loadConfig(['redis', 'pipeline'], t.env);
  const streams = partitionStreams(cfg.pipeline, t.stream);
  const masters = new Set(
    await Promise.all(
      Array.from({ length: partitions }, (_, p) =>
        cluster.masterOf(partitionPipeline(cfg.pipeline, p).seqKey),
      ),
    ),
  );
  const redis = createProducerRedis(cfg.redis, 'bench-cluster');
  const dueslag = await Dueslag.open(TEST_AMQP_URL, t.dueslag);
  const procs: MeasuredProcess[] = [];
  try {
    await redis.connect();
    await dueslag.preload(envelopes);
    procs.push(spawnWorker('real', t.env, 0));
    await procs[0]!.proc.waitForLine(/worker ready/, 60000);
    const poller = spawnPoller(t.env);
    procs.unshift(poller);
    await poller.proc.waitForLine(/"msg":"consuming"/, 60000);
    procs.forEach((p) => p.mark());
    const n = envelopes.length;
    await untilDelivered(redis, streams, n, stallMs);
    const cpu = Object.fromEntries(
      procs.map((p) => {
        const c = p.cpuSinceMark();
        return [p.role, (c.userMs + c.sysMs) / n];
      }),
    );
    // From the first entry to the last over all partition streams (entry ids carry the server's ms).
    const ms = (id: string | undefined): number => Number(id?.split('-')[0]);
    const firsts = await Promise.all(
      streams.map(async (s) => ms((await redis.xrange(s, '-', '+', 'COUNT', 1))[0]?.[0])),
    );
    const lasts = await Promise.all(
      streams.map(async (s) => ms((await redis.xrevrange(s, '+', '-', 'COUNT', 1))[0]?.[0])),
    );
    const valid = (xs: number[]): number[] => xs.filter((x) => Number.isFinite(x));
    const seconds = Math.max(0.001, (Math.max(...valid(lasts)) - Math.min(...valid(firsts))) / 1000);
    return {
      partitions,
      masters: masters.size,
      messages: n,
      seconds,
      perSecond: (n - 1) / seconds,
      cpuMsPerMessage: cpu,
    };
  } finally {
    await Promise.all(procs.map((p) => p.proc.stop('SIGTERM').catch(() => undefined)));
    await dueslag.delete();
    await t.cleanup();
    redis.disconnect();
  }
}

async function untilDelivered(
  redis: RedisConnection,
  streams: readonly string[],
  n: number,
  stallMs: number,
): Promise<void> {
  let last = -1;
  let movedAt = Date.now();
  for (;;) {
    const c = (await Promise.all(streams.map((s) => redis.xlen(s)))).reduce((a, b) => a + b, 0);
    if (c >= n) return;
    if (c !== last) [last, movedAt] = [c, Date.now()];
    if (Date.now() - movedAt > stallMs) throw new Error(`cluster run stuck at ${c} of ${n}`);
    await sleep(200);
  }
}

export function renderClusterRuns(
  runs: readonly ClusterRunResult[],
  single: { perSecond: number; messages: number },
): string {
  const first = runs[0];
  return renderTable(
    ['Redis Cluster, 1 poller + 1 worker, WAIT 1 replica', 'figure', 'compared', 'CPU ms/msg'],
    [
      [
        `single Redis (end to end above, ${single.messages.toLocaleString('en')} msgs)`,
        fmt.rate(single.perSecond),
        '1.00× (reference)',
        '',
      ],
      ...runs.map((r) => [
        `cluster, ${r.partitions} partition${r.partitions === 1 ? '' : 's'} on ${r.masters} master${r.masters === 1 ? '' : 's'} (${r.messages.toLocaleString('en')} msgs)`,
        fmt.rate(r.perSecond),
        `${fmt.ratio(r.perSecond / single.perSecond)} single${first && r !== first ? `, ${fmt.ratio(r.perSecond / first.perSecond)} 1 partition` : ''}`,
        Object.entries(r.cpuMsPerMessage)
          .map(([role, ms]) => `${role} ${ms.toFixed(3)}`)
          .join(', '),
      ]),
    ],
  );
}
