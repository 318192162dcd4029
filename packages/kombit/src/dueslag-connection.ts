import { EventEmitter } from 'node:events';
import type { Channel, ChannelModel } from 'amqplib';
import type { Logger } from 'pino';
import { closeReason, connectBroker, type StsLogin } from './amqp-login';
import { amqpUnreachable, START_RABBITMQ_HINT } from './amqp-unreachable';
import { KombitError } from './kombit-error';

export interface DueslagConnectionOptions {
  /** amqp(s):// URL (AMQP_URL); with `login` an amqps:// URL of KOMBIT's broker, vhost BF. */
  url: string;
  /** The dueslag queue name. */
  queue: string;
  /** Declare the queue durable (local RabbitMQ) or only check that it exists (KOMBIT's broker). */
  declareQueue: boolean;
  retry: { minMs: number; maxMs: number };
  log: Logger;
  /** Shown in the RabbitMQ management UI. */
  connectionName?: string;
  /** AMQP_AUTH=sts: certificate + SASL EXTERNAL with a fresh STS token for every connection. */
  login?: StsLogin;
  /** How long a connection replaced at token renewal may finish its batches before it is closed. */
  retireGraceMs?: number;
}

export interface DueslagConnectionEvents {
  /** A fresh channel is open and the queue is there; consumers (re)attach here. */
  channel: [channel: Channel];
  /**
   * Token renewal: a new channel follows at once (`channel`); stop taking deliveries from this one.
   * Batches in hand may still be acked on it until it is `lost` (after retireGraceMs).
   */
  retiring: [channel: Channel];
  /**
   * The channel is gone: its unacked deliveries go back to the queue and their tags are void.
   * `reason` is a short word for the reconnect metric (`connection_closed`, `channel_error`,
   * `connection_forced`, `access_refused`, `token_renewal`).
   */
  lost: [channel: Channel, reason: string];
}

interface Link {
  conn: ChannelModel;
  ch: Channel;
  /** When the link's token should be replaced (sts mode). */
  renewAt?: Date;
  expiresAt?: Date;
}

/**
 * One AMQP connection + channel to the dueslag, reconnected with exponential backoff whenever the
 * connection or channel drops (broker restart, network, token expiry at KOMBIT). In sts mode
 * every connection logs in with a fresh token, and before a token expires a new connection takes
 * over (`retiring` old, `channel` new) so consumption moves without a gap.
 */
export class DueslagConnection extends EventEmitter<DueslagConnectionEvents> {
  private link: Link | undefined;
  private readonly retired = new Map<Channel, Link>();
  private closing = false;
  private attempt = 0;
  private timer: NodeJS.Timeout | undefined;
  private renewTimer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: DueslagConnectionOptions) {
    super();
  }

  get channel(): Channel | undefined {
    return this.link?.ch;
  }

  /** True while acks on `ch` still count: the current channel, or one retiring after renewal. */
  canAck(ch: Channel): boolean {
    return this.link?.ch === ch || this.retired.has(ch);
  }

  /** First connection; rejects with a one-line KombitError when the broker is not there or refuses. */
  async start(): Promise<Channel> {
    try {
      return this.install(await this.connect());
    } catch (err) {
      if (err instanceof KombitError) throw err;
      const hint = this.opts.login
        ? 'check AMQP_URL and that the certificate is accepted by the broker'
        : START_RABBITMQ_HINT;
      throw amqpUnreachable(this.opts.url, err, hint);
    }
  }

  /** Opens connection + channel and checks the queue; does not install it. */
  private async connect(): Promise<Link> {
    const { login } = this.opts;
    const token = login ? await login.sts.fresh() : undefined;
    const name = this.opts.connectionName ?? 'cprh-poller';
    const conn = await connectBroker(this.opts.url, name, login, token);
    try {
      const ch = await conn.createChannel();
      await this.checkQueue(ch);
      const link: Link = { conn, ch };
      if (token && login) {
        link.renewAt = login.sts.renewAt(token);
        link.expiresAt = token.notOnOrAfter;
      }
      return link;
    } catch (err) {
      await conn.close().catch(() => undefined);
      throw err;
    }
  }

  private async checkQueue(ch: Channel): Promise<void> {
    ch.on('error', () => undefined); // the close handler below reports it
    try {
      // KOMBIT's broker owns its queues: never declare there (sts mode implies POLLER_DECLARE_QUEUE=false).
      if (this.opts.declareQueue && !this.opts.login)
        await ch.assertQueue(this.opts.queue, { durable: true });
      else await ch.checkQueue(this.opts.queue);
    } catch (err) {
      throw new KombitError(
        'KOMBIT_DUESLAG_UNAVAILABLE',
        `dueslag queue ${this.opts.queue} is not available: ${(err as Error).message}`,
        { cause: err },
      );
    }
  }

  /** Makes `link` the current one: watches it, schedules its renewal, tells the consumers. */
  private install(link: Link): Channel {
    const { conn, ch } = link;
    let failure: unknown;
    conn.on('error', (err: Error) => {
      failure = err;
    });
    let channelFailed = false;
    ch.on('error', (err: Error) => {
      channelFailed = true;
      this.opts.log.warn({ err: err.message }, 'AMQP channel error');
    });
    conn.once('close', (err?: unknown) => this.onGone(link, closeReason(err ?? failure)));
    ch.once('close', () => {
      if (channelFailed)
        return this.onGone(link, { reason: 'channel_error', text: 'channel closed by the broker' });
      // A dying connection closes its channels first: let its close (with the broker's reason) come first.
      setImmediate(() => this.onGone(link, closeReason(failure)));
    });
    this.link = link;
    this.attempt = 0;
    this.scheduleRenewal(link);
    this.emit('channel', ch);
    return ch;
  }

  private onGone(link: Link, why: { reason: string; text: string }): void {
    if (this.retired.has(link.ch)) return; // a renewal retired it; retire() reports it
    if (this.link !== link) return; // already handled for this channel
    this.link = undefined;
    if (this.renewTimer) clearTimeout(this.renewTimer);
    if (!this.closing) this.opts.log.warn({ reason: why.reason, broker: why.text }, 'AMQP connection lost');
    this.emit('lost', link.ch, why.reason);
    link.conn.close().catch(() => undefined);
    if (!this.closing) this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const { minMs, maxMs } = this.opts.retry;
    const delay = Math.min(maxMs, minMs * 2 ** Math.min(this.attempt, 30));
    this.attempt += 1;
    this.opts.log.warn({ delayMs: delay, attempt: this.attempt }, 'AMQP reconnecting');
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.closing) return;
      this.connect().then(
        (link) => {
          if (this.closing) return void link.conn.close().catch(() => undefined);
          this.install(link);
          this.opts.log.info('AMQP reconnected');
        },
        (err: unknown) => {
          this.opts.log.warn({ err: (err as Error).message }, 'AMQP reconnect failed');
          if (!this.closing) this.scheduleReconnect();
        },
      );
    }, delay);
  }

  private scheduleRenewal(link: Link): void {
    if (this.renewTimer) clearTimeout(this.renewTimer);
    if (link.renewAt === undefined) return;
    const ms = Math.max(1000, link.renewAt.getTime() - Date.now());
    this.renewTimer = setTimeout(() => void this.renew(link), ms);
  }

  /** Token renewal: a new connection with a fresh token takes over before the old token expires. */
  private async renew(old: Link): Promise<void> {
    if (this.closing || this.link !== old) return;
    let next: Link;
    try {
      next = await this.connect();
    } catch (err) {
      // Keep the old connection until the broker drops it; try again shortly.
      this.opts.log.warn({ err: (err as Error).message }, 'token renewal failed; retrying');
      this.renewTimer = setTimeout(() => void this.renew(old), Math.min(5000, this.opts.retry.maxMs));
      return;
    }
    if (this.closing || this.link !== old) return void next.conn.close().catch(() => undefined);
    this.retired.set(old.ch, old);
    this.emit('retiring', old.ch);
    this.install(next);
    this.opts.log.info(
      { expiresAt: next.expiresAt?.toISOString() },
      'AMQP connection renewed with a fresh token',
    );
    this.retire(old);
  }

  /** Gives the old link's batches a moment to be acked, then closes it (the rest is requeued). */
  private retire(old: Link): void {
    const untilExpiry = (old.expiresAt?.getTime() ?? Date.now()) - Date.now() - 500;
    const grace = Math.max(0, Math.min(this.opts.retireGraceMs ?? 2000, untilExpiry));
    const done = (): void => {
      this.retired.delete(old.ch);
      this.emit('lost', old.ch, 'token_renewal');
      old.conn.close().catch(() => undefined);
    };
    old.conn.once('close', () => {
      if (this.retired.has(old.ch)) done();
    });
    setTimeout(() => {
      if (this.retired.has(old.ch)) done();
    }, grace).unref();
  }

  /** Closes for good; unacked deliveries return to the queue. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.renewTimer) clearTimeout(this.renewTimer);
    const link = this.link;
    this.link = undefined;
    const retired = [...this.retired.values()];
    this.retired.clear();
    for (const r of retired) await r.conn.close().catch(() => undefined);
    if (link) await link.conn.close().catch(() => undefined);
  }
}
