import { loadTenants, type Config, type SectionName, type TenantConfig } from '@cprh/config';
import type { Logger } from './logger';
import { runAsProcess, type RunningService } from './run-as-process';

type Loaded<K extends SectionName> = K | 'log' | 'metrics';

/**
 * Entry point of a process that serves every municipality of TENANTS_FILE (or the one `default`
 * tenant without it): like runAsProcess, but the named sections are loaded once per tenant and
 * every tenant is checked before anything starts (a wrong file prints one line per mistake and
 * exits 1). `shared` is the configuration of what all tenants have alike — Redis, log, metrics,
 * ports: settings a tenant cannot override (tenant-settings.ts) — taken from the first tenant.
 */
export function runAsTenantsProcess<const K extends SectionName>(
  name: string,
  sections: readonly K[],
  start: (
    tenants: readonly TenantConfig<Loaded<K>>[],
    shared: Config<Loaded<K>>,
    log: Logger,
  ) => Promise<RunningService>,
): void {
  type Both = Config<Loaded<K>> & { readonly tenants: readonly TenantConfig<Loaded<K>>[] };
  runAsProcess<Loaded<K>, Both>(
    name,
    sections,
    (config, log) => start(config.tenants, config, log),
    (names) => {
      const tenants = loadTenants(names);
      const first = tenants[0];
      // loadTenants never returns none: a file without tenants is itself a mistake.
      if (first === undefined) throw new Error('no tenant');
      return { ...first.config, tenants };
    },
  );
}
