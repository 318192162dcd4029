import { loadConfig, WebhooksFileError } from '@cprh/config';
import { runAsProcess } from '@cprh/pipeline';
import { WEBHOOKS_SECTIONS } from './webhooks-sections';
import { startWebhooks } from './start-webhooks';

// WEBHOOKS_FILE first, so each mistake in it gets a line of its own (runAsProcess prints one line).
try {
  loadConfig(['webhooks']);
} catch (err) {
  if (err instanceof WebhooksFileError) {
    for (const p of err.problems) process.stderr.write(`webhooks: CONFIG_INVALID: ${err.file}: ${p}\n`);
    process.exit(1);
  }
}
runAsProcess('webhooks', WEBHOOKS_SECTIONS, startWebhooks);
