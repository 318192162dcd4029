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
  const { dueslag, rate } = config.simulator;
  // The seed is in the message itself, so a run worth repeating can be started again with it.
  log.info(
    { sts: sim.stsUrl, soap: sim.soapUrl, dueslag, rate, seed: sim.seed },
    `simulator: demo subscription fed (synthetic test data); seed ${sim.seed} (SIM_SEED=${sim.seed} repeats this run)`,
  );
  return { stop: () => sim.stop() };
}
