import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { loadConfig, loadTenants } from '@cprh/config';
import { createRedis, partitionPipelines, type InboxJobData } from '@cprh/pipeline';
import { createLogger } from '@cprh/runtime';
import { deleteKeysAt, TEST_REDIS_URL, type DevPki, type PipelineTestEnv } from '@cprh/testkit';
import { RECEIVER_SECTIONS, startTenantsReceiver, type RunningReceiver } from '../../src';
import { receiverTestEnv, STORED_JOB_STATES } from './receiver-harness';

/** A receiver serving the tenants of a TENANTS_FILE (written for the test), with views of each tenant's queues. */
export interface TenantsReceiverUnderTest {
  env: PipelineTestEnv;
  receiver: RunningReceiver;
  /** Ids of every job in the tenant's inbox (all its partitions), sorted. */
  inboxIds(tenant: string): Promise<string[]>;
  /** Every job of the tenant's inbox with the queue prefix (hash tag) of the partition it is in. */
  inboxJobs(tenant: string): Promise<{ id: string; prefix: string }[]>;
  deadLetterCount(tenant: string): Promise<number>;
  /** Stops the receiver, closes the views and deletes every key of the test (the tenants' `{prefix:id}` ones too). */
  stop(): Promise<void>;
}

export async function startTenantsTestReceiver(
  pki: DevPki,
  tenants: readonly Record<string, unknown>[],
  overrides: Record<string, string> = {},
  /** A test's own Redis Cluster (startRedisCluster) instead of the shared Redis. */
  cluster?: { readonly seeds: string },
): Promise<TenantsReceiverUnderTest> {
  const dir = mkdtempSync(join(tmpdir(), 'cprh-tenants-'));
  const file = join(dir, 'tenants.json');
  writeFileSync(file, JSON.stringify({ tenants }));
  const env = receiverTestEnv(pki, { TENANTS_FILE: file, ...overrides }, cluster);
  const loaded = loadTenants(RECEIVER_SECTIONS, env.env);
  const shared = loadConfig(RECEIVER_SECTIONS, env.env);
  let receiver: RunningReceiver;
  try {
    receiver = await startTenantsReceiver(loaded, shared, createLogger('receiver-test', 'error'));
  } catch (err) {
    await env.cleanup();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const redis = createRedis(shared.redis, { maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  // Each tenant's queues, one pair per partition (PARTITIONS > 1 splits a tenant's tag further).
  const queues = new Map(
    loaded.map((t) => [
      t.id,
      partitionPipelines(t.config.pipeline).map(({ pipeline }) => {
        const opts = { connection: redis, prefix: pipeline.queuePrefix };
        return {
          prefix: pipeline.queuePrefix,
          inbox: new Queue<InboxJobData>(pipeline.inboxQueue, opts),
          dead: new Queue(pipeline.deadQueue, opts),
        };
      }),
    ]),
  );
  const of = (tenant: string) => {
    const q = queues.get(tenant);
    if (q === undefined) throw new Error(`no tenant ${tenant}`);
    return q;
  };
  const inboxJobs = async (tenant: string): Promise<{ id: string; prefix: string }[]> => {
    const out: { id: string; prefix: string }[] = [];
    for (const q of of(tenant)) {
      const jobs = await q.inbox.getJobs(STORED_JOB_STATES);
      for (const j of jobs) out.push({ id: j.id ?? '', prefix: q.prefix });
    }
    return out;
  };
  return {
    env,
    receiver,
    inboxIds: async (tenant) => (await inboxJobs(tenant)).map((j) => j.id).sort(),
    inboxJobs,
    deadLetterCount: async (tenant) => {
      let n = 0;
      for (const q of of(tenant)) n += await q.dead.count();
      return n;
    },
    async stop() {
      await receiver.stop();
      for (const q of [...queues.values()].flat()) await Promise.all([q.inbox.close(), q.dead.close()]);
      redis.disconnect();
      // A tenant's keys live under its hash tag `{<QUEUE_PREFIX>:<id>}` (a cluster's go with its nodes).
      if (cluster === undefined) await deleteKeysAt(TEST_REDIS_URL, `{${env.prefix}:`);
      await env.cleanup();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
