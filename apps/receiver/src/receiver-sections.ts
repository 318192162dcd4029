import type { ConfigOf, SectionName } from '@cprh/config';

/** The settings sections the receiver reads; only these are validated when it starts. */
export const RECEIVER_SECTIONS = [
  'log',
  'redis',
  'pipeline',
  'besked',
  'receiver',
] as const satisfies readonly SectionName[];

export type ReceiverConfig = ConfigOf<typeof RECEIVER_SECTIONS>;
