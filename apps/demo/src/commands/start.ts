import { loadWorkbenchConfig } from '@cprh/simulator';
import { createLogger, HeldLogOutput, serveProcessMetrics } from '@cprh/runtime';
import type { Command } from '@cprh/cli';
import { UsageError } from '@cprh/cli';
import { START_SECTIONS, startServices } from '../start-services';

/**
 * `cprh start`: runs the services in this process until SIGTERM or SIGINT, then stops taking
 * messages, lets work in progress finish, closes connections and exits 0. A start that fails
 * prints nothing but main's one line: the log lines written while starting are dropped.
 */
export const start: Command = async (argv) => {
  if (argv.length > 0) throw new UsageError('takes no arguments (settings come from the environment)');
  const config = loadWorkbenchConfig(START_SECTIONS);
  const output = new HeldLogOutput();
  const log = createLogger('cprh', config.log.level, output);
  const endpoint = await serveProcessMetrics(config.metrics, log).catch((err: unknown) => {
    output.discard();
    throw err;
  });
  const running = await startServices(config, log).catch(async (err: unknown) => {
    await endpoint.stop();
    output.discard();
    throw err;
  });
  output.release();
  log.info('cprh ready');
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  log.info({ signal }, 'cprh stopping');
  // A second signal while stopping exits at once.
  const force = (): never => process.exit(1);
  process.once('SIGTERM', force);
  process.once('SIGINT', force);
  await running.stop();
  await endpoint.stop();
  log.info('cprh stopped');
  return 0;
};
