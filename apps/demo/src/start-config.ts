import { BOARD_SECTIONS } from '@cprh/board';
import { POLLER_SECTIONS } from '@cprh/poller';
import { RECEIVER_SECTIONS } from '@cprh/receiver';
import { SIMULATOR_SECTIONS, type WorkbenchConfig } from '@cprh/simulator';
import { WEBHOOKS_SECTIONS } from '@cprh/webhooks';
import { WORKER_SECTIONS } from '@cprh/worker';

/**
 * The settings sections `cprh-demo start` validates: the union of what its services read (and `log`, `metrics`).
 * A service added to `services` adds its list here.
 */
export const START_SECTIONS = [
  ...new Set([
    ...WORKER_SECTIONS,
    ...POLLER_SECTIONS,
    ...BOARD_SECTIONS,
    ...SIMULATOR_SECTIONS,
    ...RECEIVER_SECTIONS,
    ...WEBHOOKS_SECTIONS,
    'log',
    'metrics',
  ] as const),
];
export type StartConfig = WorkbenchConfig<(typeof START_SECTIONS)[number]>;
