import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths that may hold message content (raw XML, CloudEvents, CPR numbers): never logged.
 * Code logs ids only; this is the safety net for an object logged by mistake.
 */
const REDACT = [
  'raw',
  '*.raw',
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

/** One JSON log line per event on stdout (pino), with the process role as `name`. */
export function createLogger(name: string, level: string): Logger {
  return pino({ name, level, redact: { paths: REDACT, censor: '[redacted]' } });
}
