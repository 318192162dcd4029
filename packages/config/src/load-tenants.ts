import { ConfigError } from './config-error';
import { loadConfig, type Config, type SectionName } from './load-config';
import { tenantEnvironment } from './tenant-environment';
import { readTenantsFile, TenantsFileError } from './tenants-file';

/** The tenant a deployment without TENANTS_FILE has: today's single municipality, names unchanged. */
export const DEFAULT_TENANT_ID = 'default';

/** One municipality with its own configuration (the named sections, loaded from its environment). */
export interface TenantConfig<K extends SectionName> {
  readonly id: string;
  readonly name: string | undefined;
  readonly cvr: string | undefined;
  readonly config: Config<K>;
}

/** One municipality's environment, for tools that hand it on (`cprh --tenant`, the demo). */
export interface TenantEnvironment {
  readonly id: string;
  readonly name: string | undefined;
  readonly cvr: string | undefined;
  readonly env: NodeJS.ProcessEnv;
}

function fileOf(env: NodeJS.ProcessEnv): string | undefined {
  const f = env.TENANTS_FILE;
  return f === undefined || f === '' ? undefined : f;
}

/** True when the deployment serves the municipalities of a TENANTS_FILE. */
export function tenantsConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return fileOf(env) !== undefined;
}

/** Each tenant's environment; without TENANTS_FILE the one `default` tenant with `env` itself. */
export function tenantEnvironments(env: NodeJS.ProcessEnv = process.env): TenantEnvironment[] {
  const file = fileOf(env);
  if (file === undefined) {
    const cvr = env.STS_CVR === '' ? undefined : env.STS_CVR;
    return [{ id: DEFAULT_TENANT_ID, name: undefined, cvr, env }];
  }
  if (env.TENANT_ID !== undefined && env.TENANT_ID !== '') {
    throw new ConfigError('TENANT_ID', 'is set per tenant by TENANTS_FILE; do not set both');
  }
  return readTenantsFile(file).map((t) => ({
    id: t.id,
    name: t.name,
    cvr: t.cvr,
    env: tenantEnvironment(env, t),
  }));
}

/**
 * Loads the named sections once per tenant. Every tenant is checked before any is returned, and
 * each mistake is one line of the TenantsFileError (`tenants[1] (aarhus): Invalid setting …`).
 */
export function loadTenants<const K extends SectionName>(
  names: readonly K[],
  env: NodeJS.ProcessEnv = process.env,
): TenantConfig<K>[] {
  const file = fileOf(env);
  const tenants = tenantEnvironments(env);
  if (file === undefined) {
    return tenants.map((t) => ({ id: t.id, name: t.name, cvr: t.cvr, config: loadConfig(names, t.env) }));
  }
  const problems: string[] = [];
  const out: TenantConfig<K>[] = [];
  tenants.forEach((t, n) => {
    try {
      out.push({ id: t.id, name: t.name, cvr: t.cvr, config: loadConfig(names, t.env) });
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems.push(`tenants[${n}] (${t.id}): ${err.message}`);
    }
  });
  if (problems.length > 0) throw new TenantsFileError(file, problems);
  return out;
}

/** The tenants with the given ids, in that order; an unknown id is a ConfigError naming the known ones. */
export function selectTenants<T extends { readonly id: string }>(
  tenants: readonly T[],
  ids: readonly string[],
): T[] {
  return ids.map((id) => {
    const t = tenants.find((x) => x.id === id);
    if (t === undefined) {
      throw new ConfigError(
        '--tenant',
        `unknown tenant "${id}" (known: ${tenants.map((x) => x.id).join(', ')})`,
      );
    }
    return t;
  });
}
