import { checkPushBody } from '@cprh/besked';
import { metrics, oneLine, type Logger } from '@cprh/pipeline';
import { answers, type PushAnswer } from './push-answer';
import type { PushedMessage, PushSinks } from './pushed-message';
import { withDeadline } from './with-deadline';

export interface PushIntakeOptions {
  sinks: PushSinks;
  maxBytes: number;
  /** How long Redis may take to confirm a write before the answer is 503. */
  storeTimeoutMs: number;
  log: Logger;
}

const UNAVAILABLE = 'the inbox is not available; send the message again later';

/**
 * Decides the answer to a body: a message with a BeskedId goes into the inbox and is answered 20
 * once Redis confirmed it; what cannot be read is kept as a dead letter first and answered 40 (or
 * HTTP 400 when only the Haendelsesbesked or BeskedId is missing). Whenever Redis did not confirm
 * in time the answer is 503, so Beskedfordeler sends the message again.
 */
export class PushIntake {
  private redisDown = false;

  constructor(private readonly o: PushIntakeOptions) {}

  async take(message: PushedMessage): Promise<PushAnswer> {
    metrics.messagesReceived.inc({ channel: 'push' });
    const check = checkPushBody(message.body, this.o.maxBytes);
    try {
      if (check.kind === 'ok') {
        await withDeadline(this.o.sinks.store(message), this.o.storeTimeoutMs, 'inbox write');
        this.writable();
        metrics.messagesStored.inc({ channel: 'push' });
        metrics.messagesAcked.inc({ channel: 'push' });
        this.o.log.debug({ beskedId: check.beskedId }, 'push stored');
        return answers.stored();
      }
      const failure = { code: check.error.code, message: check.error.message };
      await withDeadline(this.o.sinks.deadLetter(message, failure), this.o.storeTimeoutMs, 'dead letter');
      this.writable();
      this.o.log.warn({ code: failure.code, kind: check.kind }, 'push refused and dead-lettered');
      const text = `${failure.code}: ${failure.message}`;
      return check.kind === 'unreadable' ? answers.unreadable(text) : answers.incomplete(text);
    } catch (err) {
      if (!this.redisDown) {
        this.redisDown = true;
        this.o.log.warn(
          { err: oneLine(err) },
          'inbox write failed; answering 503 until Redis confirms again',
        );
      }
      return answers.unavailable(UNAVAILABLE);
    }
  }

  private writable(): void {
    if (!this.redisDown) return;
    this.redisDown = false;
    this.o.log.info('inbox writable again');
  }
}
