import { EventEmitter } from 'node:events';
import amqp, { type Channel, type ChannelModel } from 'amqplib';
import type { Logger } from 'pino';
import { KombitError } from './kombit-error';
import { redactUrl } from '@cprh/config';

export interface DueslagConnectionOptions {
  /** amqp(s):// URL. KOMBIT's broker (SASL EXTERNAL with an STS token) comes with the STS issue. */
  url: string;
  /** The dueslag queue name. */
  queue: string;
  /** Declare the queue durable (local RabbitMQ) or only check that it exists (KOMBIT's broker). */
  declareQueue: boolean;
  retry: { minMs: number; maxMs: number };
  log: Logger;
  /** Shown in the RabbitMQ management UI. */
  connectionName?: string;
}

export interface DueslagConnectionEvents {
  /** A fresh channel is open and the queue is there; consumers (re)attach here. */
  channel: [channel: Channel];
  /**
   * The channel is gone: its unacked deliveries go back to the queue and their tags are void.
   * `reason` is a short word for the reconnect metric (`connection_closed`, `channel_error`).
   */
  lost: [channel: Channel, reason: string];
}

/**
 * One AMQP connection + channel to the dueslag, reconnected with exponential backoff whenever the
 * connection or channel drops (broker restart, network, token expiry at KOMBIT). Emits `channel`
 * for each new channel and `lost` when one dies.
 */
export class DueslagConnection extends EventEmitter<DueslagConnectionEvents> {
  private conn: ChannelModel | undefined;
  private ch: Channel | undefined;
  private closing = false;
  private attempt = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: DueslagConnectionOptions) {
    super();
  }

  get channel(): Channel | undefined {
    return this.ch;
  }

  /** First connection; rejects with a one-line KombitError when RabbitMQ is not there. */
  async start(): Promise<Channel> {
    try {
      return await this.open();
    } catch (err) {
      if (err instanceof KombitError) throw err;
      throw new KombitError(
        'KOMBIT_AMQP_UNREACHABLE',
        `RabbitMQ is not reachable at ${redactUrl(this.opts.url)}; start it with \`rabbitmq-server -detached\` (or \`docker compose up -d rabbitmq\`), or set AMQP_URL`,
        { cause: err },
      );
    }
  }

  private async open(): Promise<Channel> {
    const conn = await amqp.connect(this.opts.url, {
      clientProperties: { connection_name: this.opts.connectionName ?? 'cprh-poller' },
    });
    conn.on('error', (err: Error) => this.opts.log.warn({ err: err.message }, 'AMQP connection error'));
    let ch: Channel;
    // A channel-level error comes before its close; a dying connection closes its channels without one.
    let channelFailed = false;
    try {
      ch = await conn.createChannel();
      // A channel-level error (e.g. queue deleted) closes the channel; treat it like a lost connection.
      ch.on('error', (err: Error) => {
        channelFailed = true;
        this.opts.log.warn({ err: err.message }, 'AMQP channel error');
      });
      try {
        if (this.opts.declareQueue) await ch.assertQueue(this.opts.queue, { durable: true });
        else await ch.checkQueue(this.opts.queue);
      } catch (err) {
        throw new KombitError(
          'KOMBIT_DUESLAG_UNAVAILABLE',
          `dueslag queue ${this.opts.queue} is not available: ${(err as Error).message}`,
          { cause: err },
        );
      }
    } catch (err) {
      await conn.close().catch(() => undefined);
      throw err;
    }
    this.conn = conn;
    this.ch = ch;
    conn.once('close', () => this.onGone(conn, ch, 'connection_closed'));
    ch.once('close', () => this.onGone(conn, ch, channelFailed ? 'channel_error' : 'connection_closed'));
    this.attempt = 0;
    this.emit('channel', ch);
    return ch;
  }

  private onGone(conn: ChannelModel, ch: Channel, reason: string): void {
    if (this.ch !== ch) return; // already handled for this channel
    this.ch = undefined;
    this.conn = undefined;
    this.emit('lost', ch, reason);
    conn.close().catch(() => undefined);
    if (!this.closing) this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const { minMs, maxMs } = this.opts.retry;
    const delay = Math.min(maxMs, minMs * 2 ** Math.min(this.attempt, 30));
    this.attempt += 1;
    this.opts.log.warn({ delayMs: delay, attempt: this.attempt }, 'AMQP channel lost; reconnecting');
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.closing) return;
      this.open().then(
        () => this.opts.log.info('AMQP reconnected'),
        (err: unknown) => {
          this.opts.log.warn({ err: (err as Error).message }, 'AMQP reconnect failed');
          if (!this.closing) this.scheduleReconnect();
        },
      );
    }, delay);
  }

  /** Closes for good; unacked deliveries return to the queue. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.timer) clearTimeout(this.timer);
    const conn = this.conn;
    this.ch = undefined;
    this.conn = undefined;
    if (conn) await conn.close().catch(() => undefined);
  }
}
