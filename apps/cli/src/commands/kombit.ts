import { loadConfig, redactUrl } from '@cprh/config';
import { oneLine } from '@cprh/errors';
import type { Command } from '../command';
import { UsageError } from '../command';
import { configuredSimulatorKombit, demoUsesStsFront, viaSimulatorFront } from '../demo-kombit-wiring';
import { KOMBIT_CHECK_SECTIONS, kombitCheckSteps } from '../kombit-check/check-steps';

const USAGE = 'usage: cprh kombit check';

/**
 * `cprh kombit check`: the connectivity doctor. One line per step (certificate, STS token,
 * broker TLS + login, dueslag), `ok` with what it found or `FAIL` with the reason; exit 1 at the
 * first failure. Configured by the same settings as the poller.
 */
export const kombit: Command = async (argv) => {
  if (argv.length !== 1 || argv[0] !== 'check') throw new UsageError(USAGE);
  const loaded = loadConfig(KOMBIT_CHECK_SECTIONS);
  // Pointed at the demo (no KOMBIT_ENV / AMQP_AUTH): check the route `pnpm start`'s poller takes,
  // the simulator's STS and AMQP front with TLS and the dev certificate, not plain AMQP.
  const demo = demoUsesStsFront(loaded);
  const config = demo ? viaSimulatorFront(loaded, configuredSimulatorKombit(loaded.simulator)) : loaded;
  if (demo) {
    process.stderr.write(
      `checking the demo's route (pnpm start): the simulator's STS and AMQP front at ${redactUrl(config.amqp.url)}; KOMBIT_ENV=exttest checks KOMBIT\n`,
    );
  }
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
};
