import type { Logger, RunningService } from '@cprh/runtime';
import { startWebhooks } from './start-webhooks';
import type { WebhooksConfig } from './webhooks-sections';

/**
 * The delivery process as one of `cprh start`'s services: it runs only when WEBHOOKS_FILE is set
 * (opt-in), so `pnpm start` without webhooks starts as before.
 */
export async function startWebhooksService(config: WebhooksConfig, log: Logger): Promise<RunningService> {
  if (config.webhooks.file === undefined) return { stop: async () => undefined };
  return startWebhooks(config, log);
}
