import { loadConfig, WebhooksFileError } from '@cprh/config';
import { runAsProcess } from '@cprh/runtime';
import { WEBHOOKS_SECTIONS } from './webhooks-sections';
import { startWebhooksService } from './webhooks-service';

// WEBHOOKS_FILE first, so each mistake in it gets a line of its own (runAsProcess prints one line).
try {
  loadConfig(['webhooks']);
} catch (err) {
  if (err instanceof WebhooksFileError) {
    for (const p of err.problems) process.stderr.write(`webhooks: CONFIG_INVALID: ${err.file}: ${p}\n`);
    process.exit(1);
  }
}
// Without WEBHOOKS_FILE the process idles (a compose service that nobody configured yet), saying so.
runAsProcess('webhooks', WEBHOOKS_SECTIONS, async (config, log) => {
  if (config.webhooks.file === undefined) {
    log.warn('WEBHOOKS_FILE is not set: no endpoints, nothing to deliver');
  }
  return startWebhooksService(config, log);
});
