import type { WorkbenchSectionName } from './workbench-config';

/** The settings sections the simulator reads (see SimulatorConfig); only these are validated when it starts. */
export const SIMULATOR_SECTIONS = [
  'log',
  'redis',
  'amqp',
  'simulator',
] as const satisfies readonly WorkbenchSectionName[];
