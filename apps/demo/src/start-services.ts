import { startBoardService } from '@cprh/board';
import { startPoller } from '@cprh/poller';
import { oneLine } from '@cprh/pipeline';
import { createLogger, type Logger, type RunningService } from '@cprh/runtime';
import { startSimulatorService } from '@cprh/simulator';
import { startWorker } from '@cprh/worker';
import { startWebhooksService } from '@cprh/webhooks';
import { startReceiverService, withDemoPushUrl, type ReceiverService } from './demo-push-wiring';
import { demoUsesStsFront, viaSimulatorFront, withAmqpFront } from './demo-kombit-wiring';
import type { StartConfig } from './start-config';
import { startTenantServices, type DemoTenantConfig } from './start-tenant-services';

// The settings live in their own file: the demo wiring needs the type, and start-services needs the
// wiring (no import cycle).
export { START_SECTIONS, type StartConfig } from './start-config';

/** One part of `cprh start`. */
interface ServiceEntry {
  name: string;
  start: (config: StartConfig, log: Logger) => Promise<RunningService>;
}

/**
 * Services `cprh start` runs in one process, in start order. Stop runs in reverse: the simulator
 * stops emitting first, then the poller stops taking messages before the worker finishes the jobs
 * in hand. The simulator does nothing when SIM_ENABLED=false (a real KOMBIT feed); the push receiver
 * runs with RECEIVER_ENABLED=true or SIM_DEMO_MODE=push, and then the demo pushes to it.
 */
export const services: ServiceEntry[] = [
  { name: 'worker', start: startWorker },
  // Only with WEBHOOKS_FILE set.
  { name: 'webhooks', start: startWebhooksService },
  { name: 'receiver', start: startReceiverService },
  { name: 'poller', start: startPoller },
  { name: 'board', start: startBoardService },
  { name: 'simulator', start: startSimulatorService },
];

/**
 * Starts every service; if one fails to start, stops those already running and rejects with that
 * service's one-line error. With `tenants` (a TENANTS_FILE, `--tenants N`) each municipality gets
 * its own poller and worker (start-tenant-services.ts); without, the single-tenant demo as always.
 */
export async function startServices(
  config: StartConfig,
  log: Logger = createLogger('cprh', config.log.level),
  tenants?: readonly DemoTenantConfig[],
): Promise<RunningService> {
  if (tenants !== undefined) return startTenantServices(config, tenants, log);
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
  const sim = config.simulator;
  if (sim.enabled && sim.demo.mode === 'pull' && sim.dueslag !== config.poller.dueslagQueue.toLowerCase()) {
    // Two settings name the same queue in the demo; a mismatch means no event ever arrives.
    log.warn(
      { simDueslag: sim.dueslag, dueslag: config.poller.dueslagQueue },
      'SIM_DUESLAG differs from DUESLAG_QUEUE: the demo feed goes to a queue the poller does not read',
    );
  }
  let pollerConfig = config;
  let simulatorConfig = config;
  if (demoUsesStsFront(config)) {
    // The STS and the AMQP front must be up before the poller logs in through them.
    try {
      const simLog = log.child({ service: 'simulator' });
      const simulator = await startSimulatorService(withAmqpFront(config), simLog);
      running.push({ name: 'simulator', service: simulator });
      if (simulator.kombit) pollerConfig = viaSimulatorFront(config, simulator.kombit);
      log.info(
        'demo: the poller reads the dueslag through the simulator STS, TLS and SASL EXTERNAL (KOMBIT_ENV=local: plain AMQP)',
      );
    } catch (err) {
      await stopAll();
      throw err;
    }
  }
  for (const s of services) {
    if (running.some((r) => r.name === s.name)) continue;
    try {
      const cfg = s.name === 'poller' ? pollerConfig : s.name === 'simulator' ? simulatorConfig : config;
      const service = await s.start(cfg, log.child({ service: s.name }));
      running.push({ name: s.name, service });
      if (s.name === 'receiver') simulatorConfig = withDemoPushUrl(config, (service as ReceiverService).url);
    } catch (err) {
      await stopAll();
      throw err;
    }
  }
  return { stop: stopAll };
}
