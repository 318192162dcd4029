import { redactUrl } from '@cprh/config';
import { loadWorkbenchConfig } from '@cprh/simulator';
import { KOMBIT_CHECK_SECTIONS, runKombitCheck, UsageError, type Command } from '@cprh/cli';
import { configuredSimulatorKombit, demoUsesStsFront, viaSimulatorFront } from '../demo-kombit-wiring';

const USAGE = 'usage: cprh-demo kombit check';

/**
 * `cprh-demo kombit check`: the operator's `cprh kombit check` on the route the demo's poller
 * takes. Unless KOMBIT_ENV or AMQP_AUTH is set that is the simulator's STS and AMQP front with TLS
 * and the dev certificate, not plain AMQP; otherwise the settings as they are.
 */
export const kombit: Command = async (argv) => {
  if (argv.length !== 1 || argv[0] !== 'check') throw new UsageError(USAGE);
  const loaded = loadWorkbenchConfig([...KOMBIT_CHECK_SECTIONS, 'simulator']);
  if (!demoUsesStsFront(loaded)) return runKombitCheck(loaded);
  const config = viaSimulatorFront(loaded, configuredSimulatorKombit(loaded.simulator));
  process.stderr.write(
    `checking the demo's route (pnpm start): the simulator's STS and AMQP front at ${redactUrl(config.amqp.url)}; KOMBIT_ENV=exttest checks KOMBIT\n`,
  );
  return runKombitCheck(config);
};
