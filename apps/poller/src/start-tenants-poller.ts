import type { TenantConfig } from '@cprh/config';
import {
  checkClusterKeyLayout,
  checkRedis,
  createProducerRedis,
  logRedisErrors,
  PartitionedInboxWriter,
} from '@cprh/pipeline';
import type { Logger, RunningService } from '@cprh/runtime';
import { certificateFiles } from './certificate-files';
import type { PollerConfig, PollerSection } from './poller-sections';
import { loadStsLogin } from './start-poller';
import { TenantPoller } from './tenant-poller';
import { observeTenants } from './tenants-readiness';

/**
 * The poller of a TENANTS_FILE deployment: one process for every municipality of the file. Redis
 * (the environment's REDIS_URL, shared) is checked at start and a failure there is the usual
 * one-line exit; each tenant then gets its own certificate, STS token, AMQP connection and inbox
 * writer (its own key names), and a tenant that fails is retried on its own while the others flow.
 * Resolves once every tenant has made its first attempt (flowing or down).
 */
export async function startTenantsPoller(
  tenants: readonly TenantConfig<PollerSection>[],
  shared: PollerConfig,
  log: Logger,
): Promise<RunningService> {
  const first = tenants[0];
  if (first === undefined) throw new Error('startTenantsPoller: no tenant');
  // Each tenant's names must fit a Cluster's slots as well: checked for all before anything starts.
  if (shared.redis.clusterNodes.length > 0) for (const t of tenants) checkClusterKeyLayout(t.config.pipeline);
  await checkRedis(shared.redis, log, first.config.pipeline);

  const redis = createProducerRedis(shared.redis, 'cprh-poller');
  logRedisErrors(redis, log, 'poller');
  await redis.connect();

  const writers: PartitionedInboxWriter[] = [];
  const pollers = tenants.map((t) => {
    const tlog = log.child({ tenant: t.id });
    const writer = new PartitionedInboxWriter(redis, t.config.pipeline, shared.redis, tlog);
    writers.push(writer);
    const sts = t.config.amqp.auth === 'sts';
    return new TenantPoller({
      id: t.id,
      config: t.config,
      redis,
      writer,
      log: tlog,
      ...(sts
        ? {
            login: () => loadStsLogin().stsLogin(t.config, tlog, t.id, { quiet: true }),
            certificateFiles: certificateFiles(t.config.clientCert),
          }
        : {}),
    });
  });
  await Promise.all(pollers.map((p) => p.start()));
  const unobserve = observeTenants(pollers, redis);
  const down = pollers.filter((p) => p.state.state !== 'up').map((p) => p.id);
  log.info(
    { tenants: pollers.length, flowing: pollers.length - down.length, down },
    'poller started for every tenant of TENANTS_FILE',
  );

  return {
    async stop() {
      await Promise.all(pollers.map((p) => p.stop()));
      unobserve();
      await Promise.all(writers.map((w) => w.close().catch(() => undefined)));
      redis.disconnect();
    },
  };
}
