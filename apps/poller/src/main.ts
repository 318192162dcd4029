import { runAsTenantsProcess } from '@cprh/runtime';
import { POLLER_SECTIONS } from './poller-sections';
import { startPoller } from './start-poller';
import { startTenantsPoller } from './start-tenants-poller';

// Without TENANTS_FILE the one `default` tenant runs exactly as a single-municipality poller always has.
runAsTenantsProcess('poller', POLLER_SECTIONS, (tenants, shared, log) => {
  const only = tenants[0];
  if (tenants.length === 1 && only !== undefined && only.config.pipeline.tenant === undefined)
    return startPoller(only.config, log);
  return startTenantsPoller(tenants, shared, log);
});
