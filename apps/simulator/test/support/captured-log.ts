import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';

/** A pino logger that keeps its lines, for a test that checks what was logged. */
export function capturedLog(level: pino.Level): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const log = pino(
    { level },
    new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    }),
  );
  return { log, lines };
}
