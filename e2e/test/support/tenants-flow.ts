import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Cluster, Redis } from 'ioredis';
import { publishToDueslag } from '@cprh/simulator';
import { tenantStream } from '@cprh/consumer';
import { loadTenants, type Config } from '@cprh/config';
import { createDeadQueue, partitionPipeline } from '@cprh/pipeline';
import {
  deleteAmqpQueues,
  queueDepth,
  TEST_AMQP_URL,
  uniqueName,
  waitFor,
  type SpawnedProcess,
} from '@cprh/testkit';
import { expectExactlyOnce } from './pipeline-harness';
import { personFeed, readPersonStreams, type PersonOrder } from './person-order';
import { tenantStreams } from './tenant-inboxes';

/**
 * What the tenants end-to-end suites share (tenants-end-to-end, cluster-tenants-end-to-end): three
 * municipalities in one TENANTS_FILE fed through their own dueslag on the real RabbitMQ, each
 * tenant's persons' events, and the checks that each tenant got exactly its own events, in its own
 * streams (named as a downstream consumer names them), in order per person, with no dead letters.
 */

export interface FlowTenant {
  readonly id: string;
  readonly cvr: string;
  readonly dueslag: string;
  readonly feed: { bodies: Buffer[]; order: PersonOrder };
  /** The tenant's pipeline, as the poller and worker load it from the file. */
  pipeline: Config['pipeline'];
}

export interface TenantsFlowOptions {
  readonly ids: readonly string[];
  readonly persons: number;
  readonly eventsPerPerson: number;
  readonly cprOf: (person: number) => string;
  /** The deployment's environment without TENANTS_FILE (REDIS_*, QUEUE_PREFIX, EVENTS_STREAM, …). */
  readonly env: Record<string, string>;
  /** The broker (vhost) the dueslag queues are on, as the test publishes to them. */
  readonly brokerUrl?: string;
  /** A tenant's certificate entry (PEM files), for a poller logging in through STS. */
  readonly certificateOf?: (id: string, cvr: string) => { certFile: string; keyFile: string };
}

/** A run: the TENANTS_FILE, each tenant's dueslag and feed, and the env the processes get. */
export class TenantsFlow {
  readonly dir = mkdtempSync(join(tmpdir(), 'cprh-tenants-e2e-'));
  readonly file = join(this.dir, 'tenants.json');
  readonly env: Record<string, string>;
  readonly tenants: FlowTenant[];
  private readonly brokerUrl: string;

  constructor(o: TenantsFlowOptions) {
    this.brokerUrl = o.brokerUrl ?? TEST_AMQP_URL;
    // Unique dueslag names per run: parallel runs and earlier crashed runs never meet.
    const run = uniqueName('q');
    this.tenants = o.ids.map((id, i) => ({
      id,
      cvr: String(31000000 + i),
      dueslag: `${run}-${id}-dueslag`,
      // The same persons in every municipality (someone who moved): their order keys must not meet.
      feed: personFeed({
        persons: o.persons,
        eventsPerPerson: o.eventsPerPerson,
        cprOf: o.cprOf,
        shuffle: true,
      }),
      pipeline: undefined as unknown as Config['pipeline'],
    }));
    writeFileSync(
      this.file,
      JSON.stringify({
        tenants: this.tenants.map((t) => ({
          id: t.id,
          cvr: t.cvr,
          dueslag: t.dueslag,
          ...(o.certificateOf ? { certificate: o.certificateOf(t.id, t.cvr) } : {}),
        })),
      }),
    );
    this.env = { ...o.env, TENANTS_FILE: this.file };
    const pipelines = new Map(loadTenants(['pipeline'], this.env).map((t) => [t.id, t.config.pipeline]));
    for (const t of this.tenants) {
      const p = pipelines.get(t.id);
      if (p === undefined) throw new Error(`tenant ${t.id} not loaded from ${this.file}`);
      t.pipeline = p;
    }
  }

  get total(): number {
    return this.tenants.reduce((n, t) => n + t.feed.bodies.length, 0);
  }

  /** Publishes each tenant's messages from..to (in publish order) to its own dueslag. */
  async publish(from: number, to?: number): Promise<void> {
    for (const t of this.tenants) {
      await publishToDueslag(t.feed.bodies.slice(from, to), { url: this.brokerUrl, queue: t.dueslag });
    }
  }

  /** Ready messages left in all the tenants' dueslag queues. */
  async ready(): Promise<number> {
    let n = 0;
    for (const t of this.tenants) n += (await queueDepth(t.dueslag, this.brokerUrl)).ready;
    return n;
  }

  /** Entries in all the tenants' streams. */
  async delivered(redis: Redis | Cluster): Promise<number> {
    let n = 0;
    for (const t of this.tenants) for (const s of tenantStreams(t.pipeline)) n += await redis.xlen(s);
    return n;
  }

  /**
   * kill -9 of the worker while events flow (once 60 are in the streams); the feed from `from` on
   * is published while no worker runs, a new worker (`restart`) takes over the killed one's jobs,
   * and this waits until every event is in the streams. `alsoReady` waits for other restarted
   * processes (a poller) before the new worker's ready line. Returns the new worker and how many
   * events were delivered when the old one was killed.
   */
  async killWorkerMidFlow(
    redis: Redis | Cluster,
    o: {
      worker: SpawnedProcess;
      restart: () => SpawnedProcess;
      from: number;
      alsoReady?: () => Promise<unknown>;
    },
  ): Promise<{ worker: SpawnedProcess; deliveredAtKill: number }> {
    await waitFor('events flowing', async () => (await this.delivered(redis)) >= 60, {
      timeoutMs: 60000,
      intervalMs: 20,
    });
    await o.worker.stop('SIGKILL');
    const deliveredAtKill = await this.delivered(redis);
    await this.publish(o.from);
    const worker = o.restart();
    await o.alsoReady?.();
    await worker.waitForLine(/worker ready/, 60000);

    await waitFor(`all ${this.total} events`, async () => (await this.delivered(redis)) >= this.total, {
      timeoutMs: 120000,
      intervalMs: 250,
    });
    return { worker, deliveredAtKill };
  }

  /**
   * The full check, after the processes stopped: per tenant, the streams a consumer of that tenant
   * reads hold exactly its events once each (another tenant's would be `extra`), in order per person,
   * one stream per person; no dead letters; its dueslag empty. Returns each tenant's entries per stream.
   */
  async expectEachTenantExactlyOnce(
    redis: Redis | Cluster,
    partitions: number,
  ): Promise<Map<string, number[]>> {
    const perStream = new Map<string, number[]>();
    for (const t of this.tenants) {
      const streams = consumerStreams(t.id, this.env, partitions);
      // The product's names are the ones downstream is told to read.
      expect(tenantStreams(t.pipeline)).toEqual(streams);
      const r = await readPersonStreams(redis, streams, t.feed.order);
      expectExactlyOnce(r.perStream.flat(), [...t.feed.order.keys()]);
      perStream.set(
        t.id,
        r.perStream.map((ids) => ids.length),
      );
      expect({ id: t.id, outOfOrder: r.outOfOrder, personsInTwo: r.personsInTwo }).toEqual({
        id: t.id,
        outOfOrder: [],
        personsInTwo: 0,
      });
      for (let p = 0; p < partitions; p++) {
        const dead = createDeadQueue(redis, partitions > 1 ? partitionPipeline(t.pipeline, p) : t.pipeline);
        try {
          expect({ id: t.id, p, dead: await dead.count() }).toEqual({ id: t.id, p, dead: 0 });
        } finally {
          await dead.close();
        }
      }
      expect({ id: t.id, ready: (await queueDepth(t.dueslag, this.brokerUrl)).ready }).toEqual({
        id: t.id,
        ready: 0,
      });
    }
    return perStream;
  }

  async cleanup(): Promise<void> {
    await deleteAmqpQueues(
      this.tenants.map((t) => t.dueslag),
      this.brokerUrl,
    );
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * The streams a downstream consumer of tenant `id` reads: `<EVENTS_STREAM>:{<base>:<id>}`, or with
 * partitions `<EVENTS_STREAM>:{<base>:<id>:p<n>}` (base = QUEUE_PREFIX without braces).
 */
export function consumerStreams(id: string, env: Record<string, string>, partitions: number): string[] {
  const one = tenantStream(env.EVENTS_STREAM ?? '', id, env.QUEUE_PREFIX);
  if (partitions <= 1) return [one];
  return Array.from({ length: partitions }, (_, p) => `${one.slice(0, -1)}:p${p}}`);
}
