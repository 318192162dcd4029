import { loadConfig, TenantsFileError, type Config, type SectionName } from '@cprh/config';
import { oneLine } from '@cprh/errors';
import { HeldLogOutput } from './held-log-output';
import { createLogger, type Logger } from './logger';
import { addReadinessCheck } from './readiness-checks';
import { serveProcessMetrics } from './serve-process-metrics';

export interface RunningService {
  /** Stop taking work, let in-flight work finish, close connections. */
  stop(): Promise<void>;
}

/**
 * Entry point of a service process: loads only the settings sections it names (plus `log` and
 * `metrics`, which every process has), starts, logs `<name> ready`, and on SIGTERM or SIGINT stops
 * cleanly and exits 0. A bad setting or an unreachable server at start-up prints one line on
 * stderr, `<name>: <CODE>: <message>`, and nothing else (the start's log lines are dropped), and
 * exits 1. A second signal exits at once.
 */
export function runAsProcess<const K extends SectionName>(
  name: string,
  sections: readonly K[],
  start: (config: Config<K>, log: Logger) => Promise<RunningService>,
): void;
/**
 * The same with another loader over a section map that extends the product's (the workbench's own
 * sections, e.g. the simulator's): `load` is its ConfigLoader's `load`.
 */
export function runAsProcess<const K extends string, C extends Config<'log'>>(
  name: string,
  sections: readonly K[],
  start: (config: C, log: Logger) => Promise<RunningService>,
  load: (names: readonly (K | 'log' | 'metrics')[]) => C & Config<'metrics'>,
): void;
export function runAsProcess(
  name: string,
  sections: readonly string[],
  start: (config: Config<'log' | 'metrics'>, log: Logger) => Promise<RunningService>,
  load: (names: readonly string[]) => Config<'log' | 'metrics'> = (names) =>
    loadConfig(names as readonly SectionName[]),
): void {
  let config: Config<'log' | 'metrics'>;
  try {
    config = load([...sections, 'log', 'metrics']);
  } catch (err) {
    process.stderr.write(startErrorLines(name, err));
    process.exit(1);
  }
  const output = new HeldLogOutput();
  const log = createLogger(name, config.log.level, output);
  let stopping = false;
  const startAll = async (): Promise<RunningService> => {
    // /readyz answers 503 until the service has started: a container healthcheck (and so compose's
    // depends_on: service_healthy) must not pass while its servers are still coming up.
    const starting = addReadinessCheck(name, async () => ({ ready: false, reason: 'starting' }));
    const endpoint = await serveProcessMetrics(config.metrics, log);
    const service = await start(config, log).catch(async (err: unknown) => {
      await endpoint.stop();
      throw err;
    });
    starting();
    return { stop: () => service.stop().finally(() => endpoint.stop()) };
  };
  startAll().then(
    (service) => {
      output.release();
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
      output.discard();
      process.stderr.write(startErrorLines(name, err));
      process.exit(1);
    },
  );
}

/**
 * What a failed start prints: one line, or for a wrong TENANTS_FILE one line per mistake, each
 * `<name>: CONFIG_INVALID: Invalid setting TENANTS_FILE: <file>: <tenant and field>: <problem>`.
 */
export function startErrorLines(name: string, err: unknown): string {
  if (err instanceof TenantsFileError) {
    return err.problems
      .map((p) =>
        `${name}: ${err.code}: Invalid setting TENANTS_FILE: ${err.file}: ${p}`.replace(/\s*\n\s*/g, ' '),
      )
      .map((line) => `${line}\n`)
      .join('');
  }
  return `${name}: ${oneLine(err)}\n`;
}
