import type { RedisConnection as Redis } from '@cprh/pipeline';
import { addReadinessCheck, metrics } from '@cprh/runtime';
import type { TenantPoller, TenantState } from './tenant-poller';

/**
 * The TENANTS_FILE poller's part of `/readyz`: ready while the inbox's Redis connection is up and
 * at least one tenant flows, so one municipality's expired certificate does not take the process
 * (and the other municipalities' metrics) out of service. Each tenant's state is listed beside the
 * verdict, `{"status":"ready","poller":{"tenants":{"aarhus":{"state":"up",…},"odense":{"state":"down",
 * "reason":…}}}}`, and is `cprh_tenant_up{tenant}` for the alert. Returns the undo for stop.
 */
export function observeTenants(pollers: readonly TenantPoller[], redis: Redis): () => void {
  return addReadinessCheck('poller', async () => {
    const tenants: Record<string, TenantState> = {};
    for (const p of pollers) {
      tenants[p.id] = p.state;
      metrics.upstreamUp.set({ channel: 'pull', tenant: p.id }, p.state.state === 'up' ? 1 : 0);
    }
    const detail = { tenants };
    if (redis.status !== 'ready') return { ready: false, reason: `redis connection ${redis.status}`, detail };
    const down = pollers.filter((p) => p.state.state !== 'up').map((p) => p.id);
    if (down.length === pollers.length)
      return { ready: false, reason: `no tenant flows (${down.join(', ')})`, detail };
    return { ready: true, detail };
  });
}
