import type { TenantConfig } from '@cprh/config';
import { oneLine } from '@cprh/pipeline';
import type { Logger, RunningService } from '@cprh/runtime';
import { startWebhooks } from './start-webhooks';
import type { WebhooksConfig } from './webhooks-sections';
import { WebhooksError } from './webhooks-error';

/**
 * The delivery process for every tenant of TENANTS_FILE: each tenant with a `webhooksFile` gets
 * startWebhooks on its own configuration (its endpoints, its stream, its delivery state under its
 * queue prefix, metrics labelled with its id). Tenants without endpoints are skipped; with none at
 * all the process idles, saying so. Without TENANTS_FILE: the environment's WEBHOOKS_FILE as before.
 */
export async function startWebhooksTenants(
  tenants: readonly TenantConfig<keyof WebhooksConfig>[],
  log: Logger,
): Promise<RunningService> {
  const only = tenants[0];
  const single = tenants.length === 1 && only !== undefined && only.config.pipeline.tenant === undefined;
  const served = tenants.filter((t) => t.config.webhooks.file !== undefined);
  if (served.length === 0) {
    log.warn(
      single
        ? 'WEBHOOKS_FILE is not set: no endpoints, nothing to deliver'
        : 'no tenant of TENANTS_FILE has a webhooksFile: no endpoints, nothing to deliver',
    );
    return { stop: async () => undefined };
  }
  if (single) return startWebhooks(only.config, log);
  const running: RunningService[] = [];
  const stopAll = async (): Promise<void> => {
    await Promise.all(running.map((r) => r.stop()));
  };
  for (const t of served) {
    try {
      running.push(await startWebhooks(t.config, log.child({ tenant: t.id })));
    } catch (err) {
      await stopAll().catch(() => undefined);
      throw new WebhooksError('WEBHOOKS_TENANT_START_FAILED', `tenant ${t.id}: ${oneLine(err)}`, {
        cause: err,
      });
    }
  }
  log.info({ tenants: served.map((t) => t.id) }, 'webhooks serving tenants');
  return { stop: stopAll };
}
