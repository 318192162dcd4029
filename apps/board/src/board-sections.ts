import type { ConfigOf, SectionName } from '@cprh/config';

/** The settings sections the ops process (board) reads; only these are validated when it starts. */
export const BOARD_SECTIONS = [
  'log',
  'redis',
  'pipeline',
  'board',
  'metrics',
] as const satisfies readonly SectionName[];

export type BoardConfig = ConfigOf<typeof BOARD_SECTIONS>;
