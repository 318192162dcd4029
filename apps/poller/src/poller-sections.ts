import type { ConfigOf, SectionName } from '@cprh/config';

/** The settings sections the poller reads; only these are validated when it starts. */
export const POLLER_SECTIONS = [
  'log',
  'redis',
  'amqp',
  'clientCert',
  'pipeline',
  'poller',
] as const satisfies readonly SectionName[];

export type PollerConfig = ConfigOf<typeof POLLER_SECTIONS>;

export type PollerSection = (typeof POLLER_SECTIONS)[number];
