import { loadConfig, loadTenants, type TenantConfig } from '@cprh/config';
import { oneLine } from '@cprh/errors';
import type { Command } from '../command';
import { UsageError } from '../command';
import { KOMBIT_CHECK_SECTIONS, kombitCheckSteps, type KombitCheckConfig } from '../kombit-check/check-steps';
import { scopedTenant, tenantChosen } from '../tenant-scope';

const USAGE = 'usage: cprh [--tenant ID] kombit check | cprh kombit check --all';

/** Municipalities checked at once by `--all` (each holds a TLS connection or two while it runs). */
const ALL_AT_ONCE = 4;

/**
 * `cprh kombit check`: the connectivity doctor. One line per step (certificate, STS token,
 * broker TLS + login, dueslag), `ok` with what it found or `FAIL` with the reason; exit 1 at the
 * first failure. Configured by the same settings as the poller: the municipality's (`--tenant`),
 * or each one's in turn (`--all`: a block per municipality, exit 1 if any failed).
 */
export const kombit: Command = async (argv) => {
  const all = argv.length === 2 && argv[1] === '--all';
  if (argv[0] !== 'check' || (argv.length !== 1 && !all)) throw new UsageError(USAGE);
  if (!all) return runKombitCheck(loadConfig(KOMBIT_CHECK_SECTIONS, scopedTenant().env));
  if (tenantChosen() !== undefined) throw new UsageError(`--all or --tenant, not both\n${USAGE}`);
  // Every municipality's settings first: a mistake in one stops before any check, naming it.
  return checkAll(loadTenants(KOMBIT_CHECK_SECTIONS));
};

/** Every municipality's check, a block each in file order, then one summary line. */
async function checkAll(
  tenants: readonly TenantConfig<(typeof KOMBIT_CHECK_SECTIONS)[number]>[],
): Promise<number> {
  const configs = tenants.map((t) => t.config);
  const blocks: Promise<{ lines: string[]; code: number }>[] = [];
  // At most ALL_AT_ONCE checks run; each block is printed whole, in order, as soon as it is its turn.
  const slots = Array.from({ length: ALL_AT_ONCE }, () => Promise.resolve());
  for (const [i, config] of configs.entries()) {
    const slot = i % ALL_AT_ONCE;
    const run = slots[slot]!.then(async () => {
      const lines: string[] = [];
      try {
        return { lines, code: await runKombitCheck(config, (s) => lines.push(s)) };
      } catch (err) {
        return { lines: [...lines, `FAIL ${oneLine(err)}\n`], code: 1 };
      }
    });
    slots[slot] = run.then(() => undefined);
    blocks.push(run);
  }
  const failed: string[] = [];
  for (const [i, tenant] of tenants.entries()) {
    const { lines, code } = await blocks[i]!;
    process.stdout.write(`${heading(tenant)}\n${lines.map((l) => `  ${l}`).join('')}`);
    if (code !== 0) failed.push(tenant.id);
  }
  const n = tenants.length;
  process.stdout.write(
    `${n - failed.length} of ${n} municipalit${n === 1 ? 'y' : 'ies'} passed${failed.length > 0 ? `; failed: ${failed.join(', ')}` : ''}\n`,
  );
  return failed.length > 0 ? 1 : 0;
}

function heading(t: { id: string; name: string | undefined; cvr: string | undefined }): string {
  const about = [t.name, t.cvr === undefined ? undefined : `CVR ${t.cvr}`].filter((x) => x !== undefined);
  return about.length > 0 ? `${t.id} (${about.join(', ')})` : t.id;
}

/**
 * The steps of `cprh kombit check` for `config`, each line to `write` (stdout unless given);
 * 0 when all pass, 1 at the first failure.
 */
export async function runKombitCheck(
  config: KombitCheckConfig,
  write: (line: string) => void = (line) => process.stdout.write(line),
): Promise<number> {
  const { steps, close } = kombitCheckSteps(config);
  const width = Math.max(...steps.map((s) => s.name.length));
  try {
    for (const step of steps) {
      const label = step.name.padEnd(width);
      try {
        write(`ok   ${label}  ${await step.run()}\n`);
      } catch (err) {
        write(`FAIL ${label}  ${oneLine(err)}\n`);
        return 1;
      }
    }
    return 0;
  } finally {
    await close();
  }
}
