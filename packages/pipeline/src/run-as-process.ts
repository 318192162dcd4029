import { loadConfig, type Config, type SectionName } from '@cprh/config';
import { createLogger, type Logger } from './logger';
import { serveProcessMetrics } from './serve-process-metrics';

export interface RunningService {
  /** Stop taking work, let in-flight work finish, close connections. */
  stop(): Promise<void>;
}

/** Prints an error as the one line an operator needs (code and message, no stack, no payload). */
export function oneLine(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  const msg = err instanceof Error ? err.message : String(err);
  return `${typeof code === 'string' ? code + ': ' : ''}${msg}`.replace(/\s*\n\s*/g, ' ');
}

/**
 * Entry point of a service process: loads only the settings sections it names (plus `log` and
 * `metrics`, which every process has), starts, logs `<name> ready`, and on SIGTERM or SIGINT stops
 * cleanly and exits 0. A bad setting or an unreachable server at start-up prints one
 * line and exits 1. A second signal exits at once.
 */
export function runAsProcess<const K extends SectionName>(
  name: string,
  sections: readonly K[],
  start: (config: Config<K>, log: Logger) => Promise<RunningService>,
): void {
  let config: Config<K | 'log' | 'metrics'>;
  try {
    config = loadConfig([...sections, 'log', 'metrics']);
  } catch (err) {
    process.stderr.write(`${name}: ${oneLine(err)}\n`);
    process.exit(1);
  }
  const log = createLogger(name, config.log.level);
  let stopping = false;
  const startAll = async (): Promise<RunningService> => {
    const endpoint = await serveProcessMetrics(config.metrics, log);
    const service = await start(config, log).catch(async (err: unknown) => {
      await endpoint.stop();
      throw err;
    });
    return { stop: () => service.stop().finally(() => endpoint.stop()) };
  };
  startAll().then(
    (service) => {
      log.info(`${name} ready`);
      const onSignal = (signal: NodeJS.Signals): void => {
        if (stopping) {
          log.warn({ signal }, 'second signal: exiting now');
          process.exit(1);
        }
        stopping = true;
        log.info({ signal }, `${name} stopping`);
        service.stop().then(
          () => {
            log.info(`${name} stopped`);
            process.exit(0);
          },
          (err: unknown) => {
            log.error({ err: oneLine(err) }, `${name} did not stop cleanly`);
            process.exit(1);
          },
        );
      };
      process.on('SIGTERM', onSignal);
      process.on('SIGINT', onSignal);
    },
    (err: unknown) => {
      process.stderr.write(`${name}: ${oneLine(err)}\n`);
      process.exit(1);
    },
  );
}
