import pino, { type Logger } from 'pino';

/** The simulator's logger: CPR numbers and payloads are redacted wherever they appear in objects. */
export function createSimLogger(level: string): Logger {
  return pino({
    name: 'simulator',
    level,
    redact: {
      paths: [
        'cpr',
        '*.cpr',
        'person',
        '*.person',
        'body',
        '*.body',
        'xml',
        '*.xml',
        'vaerdier',
        '*.vaerdier',
      ],
      censor: '[redacted]',
    },
  });
}
