import { inboxIdOf, oneLine } from '@cprh/pipeline';
import { metrics, withDeadline, type Logger } from '@cprh/runtime';
import type { BodyVerdict } from './body-verdict';
import { ReceiverError } from './receiver-error';
import { answers, type PushAnswer } from './push-answer';
import type { PushedMessage, PushSinks } from './pushed-message';

export interface PushIntakeOptions {
  /** The tenant whose inbox the sinks write to (the metrics' `tenant` label). */
  tenant: string;
  sinks: PushSinks;
  /** Reads a body once: on the event loop when small, else in the check thread ('busy' when full). */
  checker: { check(body: Uint8Array): Promise<BodyVerdict | 'busy'> };
  /** How long Redis may take to confirm a write before the answer is 503. */
  storeTimeoutMs: number;
  log: Logger;
}

const UNAVAILABLE = 'the inbox is not available; send the message again later';
const BUSY = 'too many large messages being checked; send the message again later';

/**
 * Decides the answer to a body: a message with a BeskedId goes into the inbox and is answered 20
 * once Redis confirmed it; what cannot be read is kept as a dead letter first and answered 40 (or
 * HTTP 400 when well-formed but not the one Haendelsesbesked with a BeskedId the contract asks
 * for). Whenever Redis did not confirm in time the answer is 503, so Beskedfordeler sends again.
 */
export class PushIntake {
  private redisDown = false;

  constructor(private readonly o: PushIntakeOptions) {}

  async take(message: PushedMessage): Promise<PushAnswer> {
    const labels = { channel: 'push', tenant: this.o.tenant } as const;
    metrics.messagesReceived.inc(labels);
    let verdict: BodyVerdict | 'busy';
    try {
      verdict = await this.o.checker.check(message.body);
    } catch (err) {
      this.o.log.warn({ err: oneLine(err) }, 'body check failed');
      return answers.unavailable('the message could not be checked; send it again later');
    }
    if (verdict === 'busy') return answers.unavailable(BUSY);
    // Job id and person key come from what the check read: the body is never read a second time.
    // A refused body is its own person (its job id): what a body we could not read names is not
    // trusted to order anything.
    const id =
      verdict.kind === 'ok'
        ? inboxIdOf(verdict, message.body)
        : inboxIdOf({ beskedId: null, cpr: null }, message.body, verdict.bodySha256);
    const { jobId } = id;
    try {
      if (verdict.kind === 'ok') {
        await withDeadline(
          this.o.sinks.store(message, id),
          this.o.storeTimeoutMs,
          this.timeout('inbox write'),
        );
        this.writable();
        metrics.messagesStored.inc(labels);
        metrics.messagesAcked.inc(labels);
        this.o.log.debug({ beskedId: verdict.beskedId }, 'push stored');
        return answers.stored();
      }
      const failure = { code: verdict.code, message: verdict.message };
      const kept = await withDeadline(
        this.o.sinks.deadLetter(message, failure, id),
        this.o.storeTimeoutMs,
        this.timeout('dead letter'),
      );
      this.writable();
      this.o.log.warn(
        { code: failure.code, kind: verdict.kind, jobId },
        kept === 'repeat'
          ? 'push refused; the same bytes already are a dead letter'
          : 'push refused and dead-lettered',
      );
      const text = `${failure.code}: ${failure.message}`;
      return verdict.kind === 'unreadable' ? answers.unreadable(text) : answers.incomplete(text);
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

  /**
   * The write is not cancelled at the deadline: one Redis confirms later is harmless, the sender's
   * retry finds it stored.
   */
  private timeout(what: string): () => ReceiverError {
    const ms = this.o.storeTimeoutMs;
    return () => new ReceiverError('RECEIVER_STORE_TIMEOUT', `${what} not confirmed within ${ms} ms`);
  }

  private writable(): void {
    if (!this.redisDown) return;
    this.redisDown = false;
    this.o.log.info('inbox writable again');
  }
}
