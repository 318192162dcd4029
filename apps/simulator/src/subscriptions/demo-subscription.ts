import type { WorkbenchConfig } from '../workbench-config';
import type { Subscription } from './subscription';

/** Id of the demo subscription (catch-all, pull to config.simulator.dueslag). */
export const DEMO_SUBSCRIPTION_ID = '0d3e0d3e-5e55-4a11-8c0d-000000000001';

/** The demo subscription: catch-all on `dueslag`, pull unless SIM_DEMO_MODE=push. */
export function demoSubscription(
  sim: WorkbenchConfig<'simulator'>['simulator'],
  dueslag: string,
): Subscription {
  return {
    id: DEMO_SUBSCRIPTION_ID,
    navn: 'demo (catch-all)',
    dueslag,
    delivery:
      sim.demo.mode === 'push' && sim.demo.pushUrl
        ? { mode: 'push', url: sim.demo.pushUrl }
        : { mode: 'pull' },
    filter: {},
  };
}
