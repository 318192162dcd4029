import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { loadConfig, loadTenants } from '@cprh/config';
import { createRedis, type InboxJobData } from '@cprh/pipeline';
import { createLogger } from '@cprh/runtime';
import {
  deleteKeysAt,
  pipelineTestEnv,
  TEST_REDIS_URL,
  type DevPki,
  type PipelineTestEnv,
} from '@cprh/testkit';
import { RECEIVER_SECTIONS, startTenantsReceiver, type RunningReceiver } from '../../src';

/** A receiver serving the tenants of a TENANTS_FILE (written for the test), with views of each tenant's queues. */
export interface TenantsReceiverUnderTest {
  env: PipelineTestEnv;
  receiver: RunningReceiver;
  /** Ids of every job in the tenant's inbox, sorted. */
  inboxIds(tenant: string): Promise<string[]>;
  deadLetterCount(tenant: string): Promise<number>;
  /** Stops the receiver, closes the views and deletes every key of the test (the tenants' `{prefix:id}` ones too). */
  stop(): Promise<void>;
}

export async function startTenantsTestReceiver(
  pki: DevPki,
  tenants: readonly Record<string, unknown>[],
  overrides: Record<string, string> = {},
): Promise<TenantsReceiverUnderTest> {
  const dir = mkdtempSync(join(tmpdir(), 'cprh-tenants-'));
  const file = join(dir, 'tenants.json');
  writeFileSync(file, JSON.stringify({ tenants }));
  const env = pipelineTestEnv({
    TENANTS_FILE: file,
    RECEIVER_PORT: '0',
    LOG_LEVEL: 'error',
    RECEIVER_TLS_CERT_FILE: pki.files.serverCert,
    RECEIVER_TLS_KEY_FILE: pki.files.serverKey,
    RECEIVER_CLIENT_CA_FILE: pki.files.ca,
    ...overrides,
  });
  const loaded = loadTenants(RECEIVER_SECTIONS, env.env);
  const shared = loadConfig(RECEIVER_SECTIONS, env.env);
  const receiver = await startTenantsReceiver(loaded, shared, createLogger('receiver-test', 'error'));
  const redis = createRedis(shared.redis, { maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  const queues = new Map(
    loaded.map((t) => {
      const opts = { connection: redis, prefix: t.config.pipeline.queuePrefix };
      return [
        t.id,
        {
          inbox: new Queue<InboxJobData>(t.config.pipeline.inboxQueue, opts),
          dead: new Queue(t.config.pipeline.deadQueue, opts),
        },
      ] as const;
    }),
  );
  const of = (tenant: string) => {
    const q = queues.get(tenant);
    if (q === undefined) throw new Error(`no tenant ${tenant}`);
    return q;
  };
  return {
    env,
    receiver,
    inboxIds: async (tenant) =>
      (await of(tenant).inbox.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized']))
        .map((j) => j.id ?? '')
        .sort(),
    deadLetterCount: (tenant) => of(tenant).dead.count(),
    async stop() {
      await receiver.stop();
      for (const q of queues.values()) await Promise.all([q.inbox.close(), q.dead.close()]);
      redis.disconnect();
      // A tenant's keys live under its hash tag `{<QUEUE_PREFIX>:<id>}`.
      await deleteKeysAt(TEST_REDIS_URL, `{${env.prefix}:`);
      await env.cleanup();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
