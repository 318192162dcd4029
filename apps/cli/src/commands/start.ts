import { loadConfig } from '@cprh/config';
import { createLogger, serveProcessMetrics } from '@cprh/pipeline';
import type { Command } from '../command';
import { UsageError } from '../command';
import { START_SECTIONS, startServices } from '../start-services';

/**
 * `cprh start`: runs the services in this process until SIGTERM or SIGINT, then stops taking
 * messages, lets work in progress finish, closes connections and exits 0.
 */
export const start: Command = async (argv) => {
  if (argv.length > 0) throw new UsageError('takes no arguments (settings come from the environment)');
  const config = loadConfig(START_SECTIONS);
  const log = createLogger('cprh', config.log.level);
  const endpoint = await serveProcessMetrics(config.metrics, log);
  const running = await startServices(config, log).catch(async (err: unknown) => {
    await endpoint.stop();
    throw err;
  });
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
