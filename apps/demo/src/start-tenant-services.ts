import { boardTenants, startBoardService } from '@cprh/board';
import { ConfigError, type TenantConfig } from '@cprh/config';
import { startTenantsPoller, POLLER_SECTIONS } from '@cprh/poller';
import { oneLine } from '@cprh/pipeline';
import type { Logger, RunningService } from '@cprh/runtime';
import { startSimulatorService } from '@cprh/simulator';
import { startWorkerTenants, WORKER_SECTIONS } from '@cprh/worker';
import {
  demoUsesStsFront,
  viaSimulatorFront,
  withAmqpFront,
  type SimulatorKombit,
} from './demo-kombit-wiring';
import { pushDemo } from './demo-push-wiring';
import type { StartConfig } from './start-config';

/** The product sections each tenant of the demo is loaded with (loadTenants): the poller's and the worker's. */
export const TENANT_SECTIONS = [...new Set([...POLLER_SECTIONS, ...WORKER_SECTIONS] as const)];

/** One municipality as the demo runs it: the product's per-tenant configuration (loadTenants). */
export type DemoTenantConfig = TenantConfig<(typeof TENANT_SECTIONS)[number]>;

/**
 * The poller of every tenant: one multi-tenant poller (a connection, STS token and inbox writer per
 * tenant), each tenant reading its own dueslag through the simulator (its CVR's token, the front).
 */
async function startTenantPollers(
  tenants: readonly DemoTenantConfig[],
  sim: SimulatorKombit | undefined,
  log: Logger,
): Promise<RunningService> {
  const routed = tenants.map((t) => (sim ? { ...t, config: viaSimulatorFront(t.config, sim) } : t));
  const first = routed[0];
  if (first === undefined) throw new ConfigError('TENANTS_FILE', 'lists no tenant');
  return startTenantsPoller(routed, first.config, log.child({ service: 'poller' }));
}

/**
 * `cprh-demo start` with a TENANTS_FILE (`--tenants N` writes one): the simulator serving every
 * tenant's CVR and dueslag, then each tenant's worker and poller, then the board. Stop runs in
 * reverse. Pull only: the push demo and webhooks are per tenant in the file, not run here.
 */
export async function startTenantServices(
  config: StartConfig,
  tenants: readonly DemoTenantConfig[],
  log: Logger,
): Promise<RunningService> {
  if (pushDemo(config) || config.receiver.enabled) {
    throw new ConfigError(
      'SIM_DEMO_MODE',
      'the demo with tenants runs pull only (unset SIM_DEMO_MODE=push and RECEIVER_ENABLED)',
    );
  }
  const running: { name: string; service: RunningService }[] = [];
  const stopAll = async (): Promise<void> => {
    for (const r of [...running].reverse()) {
      try {
        await r.service.stop();
      } catch (err) {
        log.error({ service: r.name, err: oneLine(err) }, 'service did not stop cleanly');
      }
    }
  };
  try {
    // The STS and the AMQP front must be up before the pollers log in through them.
    const viaFront = demoUsesStsFront(config);
    const simulator = await startSimulatorService(
      viaFront ? withAmqpFront(config) : config,
      log.child({ service: 'simulator' }),
    );
    running.push({ name: 'simulator', service: simulator });
    running.push({
      name: 'worker',
      service: await startWorkerTenants(tenants, log.child({ service: 'worker' })),
    });
    const poller = await startTenantPollers(tenants, viaFront ? simulator.kombit : undefined, log);
    running.push({ name: 'poller', service: poller });
    running.push({
      name: 'board',
      service: await startBoardService(config, log.child({ service: 'board' }), boardTenants(tenants)),
    });
    log.info(
      { tenants: tenants.map((t) => t.id) },
      `demo: ${tenants.length} tenants, each its own CVR, dueslag and stream${viaFront ? ' (through the simulator STS and AMQP front)' : ''}`,
    );
  } catch (err) {
    await stopAll();
    throw err;
  }
  return { stop: stopAll };
}
