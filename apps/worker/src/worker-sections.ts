import type { ConfigOf, SectionName } from '@cprh/config';

/** The settings sections the worker reads; only these are validated when it starts. */
export const WORKER_SECTIONS = [
  'log',
  'redis',
  'pipeline',
  'besked',
  'worker',
  'metrics',
  // KOMBIT_MOVE_DEAD_TO_ERROR_QUEUE: BeskedfordelerService, its URL preset and the certificate.
  'beskedfordelerService',
  'amqp',
  'clientCert',
] as const satisfies readonly SectionName[];

export type WorkerConfig = ConfigOf<typeof WORKER_SECTIONS>;
