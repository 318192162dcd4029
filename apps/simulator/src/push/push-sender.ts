import { Agent, request } from 'undici';
import type { Chaos } from '../chaos/chaos';
import { SimError } from '../sim-error';
import { pushAnswerStatus } from './push-answer-reader';

/** Settings of push delivery (KOMBIT: BeskedFåTilsendt, HTTPS with mutual TLS). */
export interface PushOptions {
  readonly maxAttempts: number;
  /** First retry delay; doubles each retry, capped at 30 s. */
  readonly backoffMs: number;
  /** Client certificate the simulator presents, and the CA it trusts for the receiver. */
  readonly tls: { readonly ca: string; readonly cert: string; readonly key: string };
  readonly timeoutMs?: number;
}

/** One push to deliver: `body(attempt)` builds the ModtagBeskedInput for that attempt. */
export interface PushJob {
  readonly url: string;
  readonly beskedId: string;
  readonly body: (attempt: number) => string;
  /** First attempt number (a redelivery starts above 1). */
  readonly firstAttempt?: number;
}

export interface PushResult {
  readonly beskedId: string;
  readonly ok: boolean;
  readonly attempts: number;
  readonly error?: string;
}

/** True for HTTP 200 whose answer is a ModtagBeskedOutput as KOMBIT requires it, with StatusKode 20. */
export function isPushAccepted(status: number, body: string): boolean {
  return status === 200 && pushAnswerStatus(body) === 20;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/**
 * Delivers pushes one at a time per queue (order kept per subscription), retrying failures
 * with exponential backoff and counting attempts in AntalLeveranceforsoeg.
 */
export class PushSender {
  private readonly agent: Agent;
  private tail: Promise<void> = Promise.resolve();
  private stopped = false;
  private inFlight = 0;

  constructor(
    private readonly options: PushOptions,
    private readonly chaos?: Chaos,
    private readonly onResult?: (r: PushResult) => void,
  ) {
    this.agent = new Agent({
      connect: { ca: options.tls.ca, cert: options.tls.cert, key: options.tls.key },
      connections: 4,
    });
  }

  /** Queues a job behind the previous ones; resolves when it is delivered or given up. */
  enqueue(job: PushJob): Promise<PushResult> {
    this.inFlight++;
    const run = this.tail.then(() => this.deliver(job));
    this.tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run.finally(() => {
      this.inFlight--;
    });
  }

  get pending(): number {
    return this.inFlight;
  }

  /** Waits until every queued job is done. */
  async drain(): Promise<void> {
    await this.tail;
  }

  private async deliver(job: PushJob): Promise<PushResult> {
    const first = job.firstAttempt ?? 1;
    let lastError = '';
    for (let attempt = first; attempt < first + this.options.maxAttempts; attempt++) {
      if (this.stopped) break;
      if (attempt > first) {
        await sleep(Math.min(30_000, this.options.backoffMs * 2 ** (attempt - first - 1)));
      }
      try {
        if (this.chaos?.pushSlow()) await sleep(this.chaos.rates.slowMs);
        await this.attempt(job, attempt);
        if (this.chaos?.pushFail()) throw new SimError('SIM_PUSH_FAILED', 'chaos: answer dropped');
        const result = { beskedId: job.beskedId, ok: true, attempts: attempt - first + 1 };
        this.onResult?.(result);
        return result;
      } catch (err) {
        lastError = (err as Error).message;
      }
    }
    const result = {
      beskedId: job.beskedId,
      ok: false,
      attempts: this.options.maxAttempts,
      error: lastError,
    };
    this.onResult?.(result);
    return result;
  }

  private async attempt(job: PushJob, attempt: number): Promise<void> {
    const res = await request(job.url, {
      method: 'POST',
      dispatcher: this.agent,
      headers: { 'content-type': 'application/xml; charset=utf-8' },
      body: job.body(attempt),
      headersTimeout: this.options.timeoutMs ?? 10_000,
      bodyTimeout: this.options.timeoutMs ?? 10_000,
    });
    const text = await res.body.text();
    if (!isPushAccepted(res.statusCode, text)) {
      // The receiver's answer is never logged: it may echo the message.
      throw new SimError('SIM_PUSH_FAILED', `HTTP ${res.statusCode} without StatusKode 20`);
    }
  }

  async close(): Promise<void> {
    this.stopped = true;
    await this.agent.close().catch(() => undefined);
  }
}
