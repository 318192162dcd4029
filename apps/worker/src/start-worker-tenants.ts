import type { TenantConfig } from '@cprh/config';
import { oneLine } from '@cprh/errors';
import type { Logger, RunningService } from '@cprh/runtime';
import { startWorker, type WorkerOverrides } from './start-worker';
import type { WorkerConfig } from './worker-sections';
import { WorkerError } from './worker-error';
import { FairShare } from './fair-share';

/**
 * The worker of every tenant of TENANTS_FILE in one process: each tenant's share is startWorker on
 * that tenant's configuration (its inbox and partitions, its streams, dead letters, retention and
 * error-queue moves, its own Redis connections and BullMQ Workers with WORKER_CONCURRENCY each),
 * so no tenant's backlog holds up another's jobs. Without TENANTS_FILE it is startWorker as before.
 * While two or more tenants have work, each takes WORKER_FAIR_CONCURRENCY jobs at once (fair-share.ts).
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
  const w = only?.config.worker;
  const share = new FairShare({ full: w?.concurrency ?? 1, fair: w?.fairConcurrency ?? 1 });
  const running: RunningService[] = [];
  const stopAll = async (): Promise<void> => {
    share.stop();
    await Promise.all(running.map((r) => r.stop()));
  };
  share.start();
  for (const t of tenants) {
    try {
      const withShare: WorkerOverrides = {
        ...overrides,
        onInboxWorker: (worker) => {
          share.register(t.id, worker);
          overrides.onInboxWorker?.(worker);
        },
      };
      running.push(await startWorker(t.config, log.child({ tenant: t.id }), withShare));
    } catch (err) {
      await stopAll().catch(() => undefined);
      throw new WorkerError('WORKER_TENANT_START_FAILED', `tenant ${t.id}: ${oneLine(err)}`, { cause: err });
    }
  }
  log.info(
    { tenants: tenants.map((t) => t.id), concurrency: w?.concurrency, fairConcurrency: w?.fairConcurrency },
    'worker serving tenants',
  );
  return { stop: stopAll };
}
