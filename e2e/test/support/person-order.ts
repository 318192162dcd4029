import { randomUUID } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import { rewriteBeskedId } from '@cprh/simulator';
import { loadConfig } from '@cprh/config';
import { partitionPipeline } from '@cprh/pipeline';
import {
  clusterTestEnv,
  spawnTs,
  type OwnRedisCluster,
  type PipelineTestEnv,
  type SpawnedProcess,
} from '@cprh/testkit';
import { SAMPLE, streamEventIds } from './pipeline-harness';

/**
 * What the order suites share (order-kill9, partitions, cluster-order-kill9): a feed of persons'
 * events whose publish order is known, the check that each person's events reached the streams in
 * that order, and a set of spawned processes that kill -9 picks from.
 */

/** BeskedId -> the person it is about and its place among that person's events (0, 1, …). */
export type PersonOrder = Map<string, { person: number; n: number }>;

export interface FeedOptions {
  persons: number;
  eventsPerPerson: number;
  /** A fake, well-formed CPR number per person (the person key only hashes it). */
  cprOf: (person: number) => string;
  /** Shuffle each block of two persons' events (each person's own stay in order); else alternate. */
  shuffle?: boolean;
}

/**
 * The sample message about each person (every CPR number in it replaced) with fresh BeskedIds.
 * Two persons' events per block, so each person's events lie within 2 × eventsPerPerson
 * consecutive messages, interleaved with another person's: what a bulk correction looks like.
 */
export function personFeed(o: FeedOptions): { bodies: Buffer[]; order: PersonOrder } {
  const order: PersonOrder = new Map();
  const bodies: Buffer[] = [];
  for (let p = 0; p < o.persons; p += 2) {
    const block: number[] = [];
    for (let i = 0; i < o.eventsPerPerson; i++) block.push(p, p + 1);
    for (let i = block.length - 1; o.shuffle === true && i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [block[i], block[j]] = [block[j]!, block[i]!];
    }
    const seen = new Map<number, number>();
    for (const person of block) {
      const n = seen.get(person) ?? 0;
      seen.set(person, n + 1);
      const id = randomUUID();
      const xml = rewriteBeskedId(SAMPLE, id).replace(
        /urn:oio:cpr-nr:\d{10}/g,
        `urn:oio:cpr-nr:${o.cprOf(person)}`,
      );
      bodies.push(Buffer.from(xml));
      order.set(id, { person, n });
    }
  }
  return { bodies, order };
}

/**
 * Every stream's event ids; the persons whose events are out of publish order within a stream,
 * and how often a person's event turned up in another stream than its first (partitions).
 */
export async function readPersonStreams(
  redis: Redis | Cluster,
  streams: readonly string[],
  order: PersonOrder,
): Promise<{ perStream: string[][]; outOfOrder: number[]; personsInTwo: number }> {
  const perStream = await Promise.all(streams.map((s) => streamEventIds(redis, s)));
  const bad = new Set<number>();
  const home = new Map<number, number>();
  let personsInTwo = 0;
  perStream.forEach((ids, si) => {
    const last = new Map<number, number>();
    for (const id of ids) {
      const o = order.get(id);
      if (o === undefined) continue;
      if ((last.get(o.person) ?? -1) > o.n) bad.add(o.person);
      last.set(o.person, o.n);
      if (home.has(o.person) && home.get(o.person) !== si) personsInTwo++;
      home.set(o.person, si);
    }
  });
  return { perStream, outOfOrder: [...bad], personsInTwo };
}

/** Spawned service processes, all killed (-9) by `killAll` in afterEach. */
export class ProcessSet {
  private readonly all: SpawnedProcess[] = [];

  constructor(private readonly env: () => Record<string, string>) {}

  start(main: string, extra: Record<string, string> = {}): SpawnedProcess {
    const p = spawnTs(main, { ...this.env(), LOG_LEVEL: 'info', ...extra });
    this.all.push(p);
    return p;
  }

  async killAll(): Promise<void> {
    for (const p of this.all.splice(0)) await p.stop('SIGKILL').catch(() => undefined);
  }
}

/**
 * A cluster test env with PARTITIONS=`partitions` whose partition tags land on at least 2 masters
 * (true for most prefixes; tried up to 20 times), and the masters they land on.
 */
export async function spreadClusterEnv(
  cluster: OwnRedisCluster,
  partitions: number,
  overrides: Record<string, string> = {},
): Promise<{ t: PipelineTestEnv; masters: Set<number> }> {
  for (let i = 0; ; i++) {
    const t = clusterTestEnv(cluster, { ...overrides, PARTITIONS: String(partitions) });
    const pipeline = loadConfig(['pipeline'], t.env).pipeline;
    const masters = new Set(
      await Promise.all(
        Array.from({ length: partitions }, (_, p) => cluster.masterOf(partitionPipeline(pipeline, p).seqKey)),
      ),
    );
    if (masters.size >= 2 || i >= 19) return { t, masters };
    await t.cleanup();
  }
}
