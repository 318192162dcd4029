import type { TenantConfig } from '@cprh/config';
import { oneLine } from '@cprh/errors';
import type { Logger, RunningService } from '@cprh/runtime';
import { startWorker, type WorkerOverrides } from './start-worker';
import type { WorkerConfig } from './worker-sections';
import { WorkerError } from './worker-error';

/**
 * The worker of every tenant of TENANTS_FILE in one process: each tenant's share is startWorker on
 * that tenant's configuration (its inbox and partitions, its streams, dead letters, retention and
 * error-queue moves, its own Redis connections and BullMQ Workers with WORKER_CONCURRENCY each),
 * so no tenant's backlog holds up another's jobs. Without TENANTS_FILE it is startWorker as before.
 * A tenant that cannot start stops the whole start, naming the tenant.
 */
export async function startWorkerTenants(
  tenants: readonly TenantConfig<keyof WorkerConfig>[],
  log: Logger,
  overrides: WorkerOverrides = {},
): Promise<RunningService> {
  const only = tenants[0];
  if (tenants.length === 1 && only !== undefined && only.config.pipeline.tenant === undefined) {
    return startWorker(only.config, log, overrides);
  }
  const running: RunningService[] = [];
  const stopAll = async (): Promise<void> => {
    await Promise.all(running.map((r) => r.stop()));
  };
  for (const t of tenants) {
    try {
      running.push(await startWorker(t.config, log.child({ tenant: t.id }), overrides));
    } catch (err) {
      await stopAll().catch(() => undefined);
      throw new WorkerError('WORKER_TENANT_START_FAILED', `tenant ${t.id}: ${oneLine(err)}`, { cause: err });
    }
  }
  log.info({ tenants: tenants.map((t) => t.id) }, 'worker serving tenants');
  return { stop: stopAll };
}
