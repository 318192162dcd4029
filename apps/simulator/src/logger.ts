import { createLogger, type Logger } from '@cprh/runtime';

/** The simulator's logger: the runtime's, with its one redact list (CPR numbers, persons, payloads). */
export function createSimLogger(level: string): Logger {
  return createLogger('simulator', level);
}
