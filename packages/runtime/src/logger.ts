import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths that may hold message content (raw XML, CloudEvents, CPR numbers, a person, a value list's
 * CPR numbers): never logged. The one list of every process, the simulator's too.
 * Code logs ids only; this is the safety net for an object logged by mistake.
 */
const REDACT = [
  'raw',
  '*.raw',
  'xml',
  '*.xml',
  'person',
  '*.person',
  'vaerdier',
  '*.vaerdier',
  'data',
  '*.data',
  'event',
  '*.event',
  'body',
  '*.body',
  'content',
  '*.content',
  'cpr',
  '*.cpr',
];

/** One JSON log line per event on stdout (or `destination`), with the process role as `name`. */
export function createLogger(name: string, level: string, destination?: DestinationStream): Logger {
  const options = { name, level, redact: { paths: REDACT, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}
