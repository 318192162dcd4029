import { loadConfig } from '@cprh/config';
import { oneLine } from '@cprh/errors';
import type { Command } from '../command';
import { UsageError } from '../command';
import { KOMBIT_CHECK_SECTIONS, kombitCheckSteps, type KombitCheckConfig } from '../kombit-check/check-steps';

const USAGE = 'usage: cprh kombit check';

/**
 * `cprh kombit check`: the connectivity doctor. One line per step (certificate, STS token,
 * broker TLS + login, dueslag), `ok` with what it found or `FAIL` with the reason; exit 1 at the
 * first failure. Configured by the same settings as the poller.
 */
export const kombit: Command = async (argv) => {
  if (argv.length !== 1 || argv[0] !== 'check') throw new UsageError(USAGE);
  return runKombitCheck(loadConfig(KOMBIT_CHECK_SECTIONS));
};

/** The steps of `cprh kombit check` for `config`; 0 when all pass, 1 at the first failure. */
export async function runKombitCheck(config: KombitCheckConfig): Promise<number> {
  const { steps, close } = kombitCheckSteps(config);
  const width = Math.max(...steps.map((s) => s.name.length));
  try {
    for (const step of steps) {
      const label = step.name.padEnd(width);
      try {
        process.stdout.write(`ok   ${label}  ${await step.run()}\n`);
      } catch (err) {
        process.stdout.write(`FAIL ${label}  ${oneLine(err)}\n`);
        return 1;
      }
    }
    return 0;
  } finally {
    await close();
  }
}
