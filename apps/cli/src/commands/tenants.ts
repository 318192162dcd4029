import { parseArgs } from 'node:util';
import { loadConfig, tenantsConfigured } from '@cprh/config';
import { CliError } from '../cli-error';
import type { Command } from '../command';
import { UsageError } from '../command';
import { connectRedis } from '../redis-connect';
import { allTenants, tenantChosen } from '../tenant-scope';
import { findTenantKeys, removeTenantKeys, tenantTag } from '../tenants/tenant-keys';

const USAGE = 'usage: cprh tenants [--json] | cprh tenants purge ID (--dry-run | --yes)';

const out = (s: string): boolean => process.stdout.write(`${s}\n`);

/**
 * `cprh tenants`: the municipalities this deployment serves (TENANTS_FILE, or the one of the
 * environment) with CVR, dueslag and event stream; no secrets. `cprh tenants purge ID --yes`
 * removes every Redis key of a municipality that has been taken out of TENANTS_FILE.
 */
export const tenants: Command = async (argv) => {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { json: { type: 'boolean' }, yes: { type: 'boolean' }, 'dry-run': { type: 'boolean' } },
      allowPositionals: true,
    });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${USAGE}`);
  }
  const [sub, id, ...extra] = parsed.positionals;
  const json = parsed.values.json === true;
  const yes = parsed.values.yes === true;
  const dryRun = parsed.values['dry-run'] === true;
  if (tenantChosen() !== undefined) throw new UsageError(`cprh tenants takes no --tenant\n${USAGE}`);
  if (sub === undefined || sub === 'list') {
    if (id !== undefined || yes || dryRun) throw new UsageError(USAGE);
    list(json);
    return 0;
  }
  if (sub !== 'purge' || id === undefined || extra.length > 0 || json) throw new UsageError(USAGE);
  if (yes === dryRun) throw new UsageError(`purge needs --dry-run (to see) or --yes (to remove)\n${USAGE}`);
  return purge(id, dryRun);
};

function list(json: boolean): void {
  const rows = allTenants().map((t) => {
    const c = loadConfig(['poller', 'pipeline'], t.env);
    return {
      id: t.id,
      name: t.name ?? null,
      cvr: t.cvr ?? null,
      dueslag: c.poller.dueslagQueue,
      stream: c.pipeline.eventsStream,
      partitions: c.pipeline.partitions,
    };
  });
  if (json) {
    out(JSON.stringify(rows, null, 2));
    return;
  }
  const table = [
    ['id', 'name', 'cvr', 'dueslag', 'stream'],
    ...rows.map((r) => [
      r.id,
      r.name ?? '-',
      r.cvr ?? '-',
      r.dueslag,
      r.partitions > 1 ? `${r.stream} (${r.partitions} partitions)` : r.stream,
    ]),
  ];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  for (const row of table)
    out(
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    );
}

async function purge(id: string, dryRun: boolean): Promise<number> {
  // Running processes would write a configured municipality's keys again: it goes from the file first.
  if (tenantsConfigured() && allTenants().some((t) => t.id === id)) {
    throw new CliError(
      'CLI_TENANT_STILL_CONFIGURED',
      `${id} is still in TENANTS_FILE: remove it there and restart the processes first (they would write its keys again)`,
    );
  }
  // The environment's own settings: Redis and QUEUE_PREFIX are shared by every municipality.
  const config = loadConfig(['redis', 'pipeline']);
  const tag = tenantTag(config.pipeline.queuePrefix, id);
  const redis = await connectRedis(config.redis, 'cprh-tenants-purge');
  try {
    const keys = await findTenantKeys(redis, tag);
    for (const [t, list] of keys.byTag) out(`{${t}}: ${list.length} key${list.length === 1 ? '' : 's'}`);
    if (dryRun) {
      out(`${id}: would remove ${keys.total} key${keys.total === 1 ? '' : 's'} (dry run: nothing removed)`);
      return 0;
    }
    const removed = await removeTenantKeys(redis, keys);
    out(`${id}: removed ${removed} key${removed === 1 ? '' : 's'}`);
    return 0;
  } finally {
    redis.disconnect();
  }
}
