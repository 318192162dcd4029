import { loadConfig, tenantsConfigured, WebhooksFileError } from '@cprh/config';
import { runAsTenantsProcess } from '@cprh/runtime';
import { WEBHOOKS_SECTIONS } from './webhooks-sections';
import { startWebhooksTenants } from './start-webhooks-tenants';

// WEBHOOKS_FILE first, so each mistake in it gets a line of its own (runAsProcess prints one line).
// With TENANTS_FILE each tenant's webhooksFile is checked by runAsTenantsProcess, a line per tenant.
if (!tenantsConfigured()) {
  try {
    loadConfig(['webhooks']);
  } catch (err) {
    if (err instanceof WebhooksFileError) {
      for (const p of err.problems) process.stderr.write(`webhooks: CONFIG_INVALID: ${err.file}: ${p}\n`);
      process.exit(1);
    }
  }
}
// Without endpoints the process idles (a compose service that nobody configured yet), saying so.
runAsTenantsProcess('webhooks', WEBHOOKS_SECTIONS, (tenants, _shared, log) =>
  startWebhooksTenants(tenants, log),
);
