import {
  DEFAULT_TENANT_ID,
  loadConfig,
  tenantEnvironments,
  tenantsConfigured,
  type Config,
  type SectionName,
  type TenantEnvironment,
} from '@cprh/config';
import { CliError } from './cli-error';

/** The `--tenant` of this run (main sets it once, before the command runs). */
let chosen: string | undefined;

export function chooseTenant(id: string | undefined): void {
  chosen = id;
}

/** Every municipality: those of TENANTS_FILE, or the one of the environment (`default`). */
export function allTenants(): TenantEnvironment[] {
  return tenantEnvironments();
}

/**
 * The municipality a data command works on. With a TENANTS_FILE it must be named (`--tenant ID`):
 * a command that erases or replays must never pick one by default. Without the file there is one,
 * from the environment, and `--tenant` may only name it (`default`).
 */
export function scopedTenant(): TenantEnvironment {
  const tenants = allTenants();
  const known = tenants.map((t) => t.id).join(', ');
  if (!tenantsConfigured()) {
    const only = tenants[0];
    if (only === undefined) throw new Error('no tenant from the environment');
    if (chosen !== undefined && chosen !== DEFAULT_TENANT_ID) {
      throw new CliError(
        'CLI_TENANT_UNKNOWN',
        `--tenant ${chosen}: no TENANTS_FILE is set; this deployment serves one municipality, from its environment`,
      );
    }
    return only;
  }
  if (chosen === undefined) {
    throw new CliError(
      'CLI_TENANT_REQUIRED',
      `TENANTS_FILE names ${tenants.length} municipalit${tenants.length === 1 ? 'y' : 'ies'}: choose one with --tenant ID (known: ${known})`,
    );
  }
  const tenant = tenants.find((t) => t.id === chosen);
  if (tenant === undefined) {
    throw new CliError('CLI_TENANT_UNKNOWN', `unknown tenant ${chosen} (known: ${known})`);
  }
  return tenant;
}

/** The named settings sections of the chosen municipality (see scopedTenant). */
export function tenantConfig<const K extends SectionName>(names: readonly K[]): Config<K> {
  return loadConfig(names, scopedTenant().env);
}

/**
 * Takes `--tenant ID` (or `--tenant=ID`) out of the command line, wherever it stands before `--`,
 * so `cprh --tenant aarhus dlq list` and `cprh dlq list --tenant aarhus` are the same.
 */
export function takeTenantOption(
  argv: readonly string[],
): { tenant: string | undefined; rest: string[] } | { problem: string } {
  const rest: string[] = [];
  let tenant: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    let value: string | undefined;
    if (arg === '--tenant') {
      value = argv[i + 1];
      i++;
      if (value === undefined || value.startsWith('-')) return { problem: '--tenant needs an ID' };
    } else if (arg.startsWith('--tenant=')) {
      value = arg.slice('--tenant='.length);
      if (value === '') return { problem: '--tenant needs an ID' };
    } else {
      rest.push(arg);
      continue;
    }
    if (tenant !== undefined && tenant !== value) return { problem: '--tenant given twice' };
    tenant = value;
  }
  return { tenant, rest };
}

/** For an audit line: the municipality whose data was shown or removed (with TENANTS_FILE). */
export function auditTenant(): { tenant?: string } {
  return tenantsConfigured() && chosen !== undefined ? { tenant: chosen } : {};
}

/** Whether `--tenant` was given (commands that act on every municipality refuse it). */
export function tenantChosen(): string | undefined {
  return chosen;
}
