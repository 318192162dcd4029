import type { StsLogin } from '@cprh/kombit/dueslag';
import { oneLine, type InboxWriter, type RedisConnection as Redis } from '@cprh/pipeline';
import { backoffDelay, metrics, sleep, type Logger } from '@cprh/runtime';
import { filesStamp } from './certificate-files';
import { startDueslagPull, type DueslagPull } from './dueslag-pull';
import type { PollerConfig } from './poller-sections';

/** Where one tenant stands: `starting` (first attempt under way), `up` (its dueslag flows), `down`. */
export type TenantState =
  | { readonly state: 'starting' }
  | { readonly state: 'up'; readonly since: string }
  | {
      readonly state: 'down';
      readonly since: string;
      /** The failure as one line (`CODE: message`): no CPR number, no secret. */
      readonly reason: string;
      readonly attempts: number;
    };

export interface TenantPollerOptions {
  id: string;
  config: PollerConfig;
  /** The inbox's producer connection, shared by the process's tenants. */
  redis: Redis;
  writer: Pick<InboxWriter, 'persist'>;
  /** The tenant's logger (its lines carry `tenant`). */
  log: Logger;
  /** AMQP_AUTH=sts: reads the tenant's certificate and makes its STS client (at every attempt, so a replaced certificate file is taken). */
  login?: () => StsLogin;
  /** The certificate's files, looked at every POLLER_CERT_CHECK_SECONDS while the tenant flows. */
  certificateFiles?: readonly string[];
}

/** Why a flowing tenant's connection ends: lost (an error), replaced certificate, or stop (undefined). */
type End = Error | 'certificate' | undefined;

/**
 * One municipality of a TENANTS_FILE poller: logs in (its own certificate and STS token), opens
 * its own AMQP connection to its dueslag and moves the messages into its own inbox. Whatever fails
 * (certificate unreadable or expired, STS error, dueslag missing or refused, broker gone) is retried
 * with backoff (POLLER_RETRY_MIN_MS..MAX_MS) without touching the other tenants; a running tenant
 * whose connection is lost starts over the same way. One log line per change of state (or of the
 * failure's code), and `cprh_tenant_up{tenant}` says 1 while it flows.
 */
export class TenantPoller {
  private current: TenantState = { state: 'starting' };
  private readonly stopping = new AbortController();
  private running: Promise<void> | undefined;
  private lastCode: string | undefined;
  private settled: (() => void) | undefined;
  /** The certificate files as the current login read them, and a replacement found unusable. */
  private stamp: string | undefined;
  private refusedStamp: string | undefined;

  constructor(private readonly o: TenantPollerOptions) {}

  get id(): string {
    return this.o.id;
  }

  get state(): TenantState {
    return this.current;
  }

  /** Starts trying; resolves once the first attempt is over (flowing or down), never rejects. */
  start(): Promise<void> {
    metrics.tenantUp.set({ tenant: this.o.id }, 0);
    const first = new Promise<void>((resolve) => (this.settled = resolve));
    this.running ??= this.supervise().finally(() => this.settled?.());
    return first;
  }

  /** Stops taking messages; what is held is stored and acked (or left unacked upstream), then closed. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.running;
  }

  private async supervise(): Promise<void> {
    const { minMs, maxMs } = this.o.config.poller.retry;
    const signal = this.stopping.signal;
    for (let failures = 0; !signal.aborted;) {
      const attempt = await this.open();
      if (signal.aborted) {
        await attempt.pull?.stop();
        await attempt.login?.sts.close();
        return;
      }
      if (attempt.pull === undefined) {
        this.down(attempt.error, ++failures);
        await sleep(backoffDelay(failures - 1, minMs, maxMs), signal);
        continue;
      }
      failures = 0;
      this.up();
      const end = await this.untilLost(attempt.pull);
      await attempt.pull.stop();
      await attempt.login?.sts.close();
      if (end === undefined) return; // stopped
      if (end === 'certificate') continue; // logged in again at once, with the new certificate
      this.down(end, ++failures);
      await sleep(backoffDelay(failures - 1, minMs, maxMs), signal);
    }
  }

  /** One attempt: the certificate and STS client (sts mode), then the dueslag. */
  private async open(): Promise<{ pull?: DueslagPull; login?: StsLogin; error?: unknown }> {
    let login: StsLogin | undefined;
    try {
      // Stamped before reading, so a replacement during the read is noticed at the next check.
      this.stamp = filesStamp(this.o.certificateFiles ?? []);
      login = this.o.login?.();
      const pull = await startDueslagPull({
        config: this.o.config,
        redis: this.o.redis,
        writer: this.o.writer,
        login,
        log: this.o.log,
        tenant: this.o.id,
        connectionName: `cprh-poller ${this.o.id} ${this.o.config.poller.dueslagQueue}`,
      });
      return { pull, ...(login ? { login } : {}) };
    } catch (error) {
      await login?.sts.close().catch(() => undefined);
      return { error };
    }
  }

  /**
   * Resolves with the reason once the tenant's connection is lost, `certificate` once its
   * certificate files were replaced by a usable certificate, or undefined when stopping.
   */
  private untilLost(pull: DueslagPull): Promise<End> {
    return new Promise((resolve) => {
      const files = this.o.certificateFiles ?? [];
      const watch =
        files.length > 0 && this.o.login
          ? setInterval(() => {
              if (this.certificateReplaced(files)) done('certificate');
            }, this.o.config.poller.certCheckSeconds * 1000)
          : undefined;
      const onLost = (_ch: unknown, reason: string): void => {
        metrics.amqpReconnects.inc({ reason, tenant: this.o.id });
        // A channel retired at token renewal is not a loss: its successor is already in place.
        if (reason === 'token_renewal') return;
        done(new Error(`AMQP connection lost (${reason})`));
      };
      const onStop = (): void => done(undefined);
      const done = (why: End): void => {
        clearInterval(watch);
        pull.source.off('lost', onLost);
        this.stopping.signal.removeEventListener('abort', onStop);
        resolve(why);
      };
      pull.source.on('lost', onLost);
      if (this.stopping.signal.aborted) return done(undefined);
      this.stopping.signal.addEventListener('abort', onStop, { once: true });
      // Lost between the start and the listener: no event will come for it.
      if (pull.source.channel === undefined) done(new Error('AMQP connection lost (connection_closed)'));
    });
  }

  /**
   * True when the certificate files changed since the current login read them and hold a usable
   * certificate (it is loaded here as a trial). An unusable one is logged once and the tenant goes
   * on with the certificate it has.
   */
  private certificateReplaced(files: readonly string[]): boolean {
    const now = filesStamp(files);
    if (now === undefined || now === this.stamp || now === this.refusedStamp) return false;
    try {
      const trial = this.o.login?.();
      void trial?.sts.close().catch(() => undefined);
    } catch (err) {
      this.refusedStamp = now;
      this.o.log.warn(
        { err: oneLine(err) },
        'replaced certificate is not usable; going on with the current one',
      );
      return false;
    }
    this.o.log.info('certificate replaced; logging in with the new one');
    return true;
  }

  private up(): void {
    const was = this.current;
    this.current = { state: 'up', since: new Date().toISOString() };
    this.lastCode = undefined;
    metrics.tenantUp.set({ tenant: this.o.id }, 1);
    this.settled?.();
    const p = this.o.config.poller;
    if (was.state === 'down')
      this.o.log.info({ mode: p.mode, queue: p.dueslagQueue, after: was.attempts }, 'tenant flowing again');
    else this.o.log.info({ mode: p.mode, queue: p.dueslagQueue }, 'tenant flowing');
  }

  private down(err: unknown, attempts: number): void {
    const reason = oneLine(err);
    const code = errorCode(err) ?? reason;
    const was = this.current;
    this.current = {
      state: 'down',
      since: was.state === 'down' ? was.since : new Date().toISOString(),
      reason,
      attempts,
    };
    metrics.tenantUp.set({ tenant: this.o.id }, 0);
    // One line per change: up/starting -> down, or a different failure; the same one again is quiet.
    if (was.state !== 'down' || code !== this.lastCode) {
      this.o.log.warn({ err: reason }, 'tenant down; retrying with backoff');
    } else {
      this.o.log.debug({ err: reason, attempts }, 'tenant still down');
    }
    this.lastCode = code;
    this.settled?.();
  }
}

function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}
