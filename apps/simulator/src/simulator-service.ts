import type { Logger } from 'pino';
import { startSimulator, type SimulatorConfig } from './simulator';
import { STS_ISSUE_PATH as STS_PATH } from './sts/sts-server';

/** The running simulator as a service, with what `cprh start` needs to point the poller at it. */
export interface SimulatorService {
  stop(): Promise<void>;
  /** STS issue URL, AMQP front URL and dev PKI dir; undefined when the simulator is off. */
  readonly kombit?: { stsIssueUrl: string; amqpFrontUrl: string | undefined; certsDir: string };
}

/**
 * The simulator as one service of `cprh start` (same shape as the poller's and worker's
 * entries): runs when SIM_ENABLED (default true), otherwise does nothing.
 */
export async function startSimulatorService(config: SimulatorConfig, log: Logger): Promise<SimulatorService> {
  if (!config.simulator.enabled) return { stop: async () => undefined };
  const sim = await startSimulator(config, { logger: log });
  const { dueslag, rate } = config.simulator;
  // With tenants, each has its own dueslag (and CVR); the single demo dueslag is not fed.
  const where =
    sim.tenants.length > 0
      ? { tenants: sim.tenants.map((t) => `${t.id} cvr ${t.cvr} dueslag ${t.dueslag}`) }
      : { dueslag };
  // The seed is in the message itself, so a run worth repeating can be started again with it.
  log.info(
    { sts: sim.stsUrl, soap: sim.soapUrl, amqpFront: sim.amqpFrontUrl, ...where, rate, seed: sim.seed },
    `simulator: demo subscription${sim.tenants.length > 1 ? 's' : ''} fed (synthetic test data); seed ${sim.seed} (SIM_SEED=${sim.seed} repeats this run)`,
  );
  const kombit =
    sim.stsUrl === undefined
      ? undefined
      : { stsIssueUrl: `${sim.stsUrl}${STS_PATH}`, amqpFrontUrl: sim.amqpFrontUrl, certsDir: sim.certsDir };
  return { stop: () => sim.stop(), ...(kombit ? { kombit } : {}) };
}
