import type { Logger } from 'pino';
import { startSimulator, type SimulatorConfig } from './simulator';

/**
 * The simulator as one service of `cprh start` (same shape as the poller's and worker's
 * entries): runs when SIM_ENABLED (default true), otherwise does nothing.
 */
export async function startSimulatorService(
  config: SimulatorConfig,
  log: Logger,
): Promise<{ stop(): Promise<void> }> {
  if (!config.simulator.enabled) return { stop: async () => undefined };
  const sim = await startSimulator(config, { logger: log });
  log.info(
    { sts: sim.stsUrl, soap: sim.soapUrl, dueslag: config.simulator.dueslag, rate: config.simulator.rate },
    'simulator: demo subscription fed (synthetic test data)',
  );
  return { stop: () => sim.stop() };
}
