import { parseArgs } from 'node:util';
import { environmentWith, loadTenants, tenantsConfigured } from '@cprh/config';
import { loadWorkbenchConfig } from '@cprh/simulator';
import { createLogger, HeldLogOutput, serveProcessMetrics } from '@cprh/runtime';
import type { Command } from '@cprh/cli';
import { UsageError } from '@cprh/cli';
import { demoTenants, MAX_DEMO_TENANTS, writeDemoTenantsFile } from '../demo-tenants';
import { START_SECTIONS, startServices } from '../start-services';
import { TENANT_SECTIONS } from '../start-tenant-services';

const USAGE = `usage: cprh-demo start [--tenants N]   (N demo municipalities, 1-${MAX_DEMO_TENANTS}; settings come from the environment)`;

/** `--tenants N`, or undefined for the single-municipality demo. */
function tenantsArg(argv: string[]): number | undefined {
  let values: { tenants?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { tenants: { type: 'string' } },
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${USAGE}`);
  }
  if (values.tenants === undefined) return undefined;
  const n = Number(values.tenants);
  if (!Number.isInteger(n) || n < 1 || n > MAX_DEMO_TENANTS) {
    throw new UsageError(
      `--tenants must be an integer 1-${MAX_DEMO_TENANTS}, got "${values.tenants}"\n${USAGE}`,
    );
  }
  return n;
}

/**
 * `--tenants N`: writes the demo's TENANTS_FILE (N municipalities on the dev certificate, beside the
 * dev PKI) and returns the environment that names it, for the simulator and the product alike.
 */
function demoTenantsEnvironment(count: number): { env: NodeJS.ProcessEnv; file: string } {
  if (tenantsConfigured()) {
    throw new UsageError('TENANTS_FILE is set: --tenants writes the demo its own; use one or the other');
  }
  const sim = loadWorkbenchConfig(['simulator']).simulator;
  if (!sim.enabled) throw new UsageError('--tenants needs the simulator (SIM_ENABLED=false is set)');
  const file = writeDemoTenantsFile(demoTenants(count, sim.dueslag), sim.certsDir);
  return { env: environmentWith({ TENANTS_FILE: file }), file };
}

/**
 * `cprh start`: runs the services in this process until SIGTERM or SIGINT, then stops taking
 * messages, lets work in progress finish, closes connections and exits 0. A start that fails
 * prints nothing but main's one line: the log lines written while starting are dropped. With
 * `--tenants N` (or a TENANTS_FILE) every municipality gets its own dueslag, poller, worker and stream.
 */
export const start: Command = async (argv) => {
  const count = tenantsArg(argv);
  const demo = count === undefined ? undefined : demoTenantsEnvironment(count);
  const env = demo?.env;
  const config = loadWorkbenchConfig(START_SECTIONS, env);
  const tenants = tenantsConfigured(env) ? loadTenants(TENANT_SECTIONS, env) : undefined;
  const output = new HeldLogOutput();
  const log = createLogger('cprh', config.log.level, output);
  const endpoint = await serveProcessMetrics(config.metrics, log).catch((err: unknown) => {
    output.discard();
    throw err;
  });
  const running = await startServices(config, log, tenants).catch(async (err: unknown) => {
    await endpoint.stop();
    output.discard();
    throw err;
  });
  output.release();
  if (tenants !== undefined) {
    log.info(
      {
        tenantsFile: demo?.file,
        streams: Object.fromEntries(tenants.map((t) => [t.id, t.config.pipeline.eventsStream])),
      },
      `each tenant's events are in its own stream, e.g. redis-cli XLEN '${tenants[0]?.config.pipeline.eventsStream ?? ''}'`,
    );
  }
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
