import { DEFAULT_TENANT_ID, type Config } from '@cprh/config';
import type { Queue } from 'bullmq';

/**
 * The `tenant` label of a metric: the tenant id from TENANTS_FILE, `default` without it. Bounded by
 * the file, so the label count stays what the deployment configured.
 */
export function tenantLabel(pipeline: { readonly tenant?: string | undefined }): string {
  return pipeline.tenant ?? DEFAULT_TENANT_ID;
}

/** Queues made by createInboxQueue/createDeadQueue, with their tenant (recordDeadLetter labels by it). */
const queueTenants = new WeakMap<Queue, string>();

export function rememberQueueTenant<Q extends Queue>(
  queue: Q,
  pipeline: Pick<Config['pipeline'], 'tenant'>,
): Q {
  queueTenants.set(queue, tenantLabel(pipeline));
  return queue;
}

/** The tenant label of a queue of ours; `default` for one made elsewhere. */
export function queueTenant(queue: Queue): string {
  return queueTenants.get(queue) ?? DEFAULT_TENANT_ID;
}
