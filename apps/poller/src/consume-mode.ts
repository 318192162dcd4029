import type { Channel, ConsumeMessage } from 'amqplib';
import type { DueslagConnection } from '@cprh/kombit';
import { oneLine } from '@cprh/pipeline';
import { type Logger } from '@cprh/runtime';
import type { UnackedMessage } from './unacked-message';
import type { PersistThenAck } from './persist-then-ack';

export interface ConsumeModeOptions {
  source: DueslagConnection;
  queue: string;
  prefetch: number;
  batchSize: number;
  lingerMs: number;
  persister: PersistThenAck;
  log: Logger;
}

/**
 * Mode `consume`: a long-lived consumer with a prefetch window. Deliveries collect into batches
 * (full batch, or `lingerMs` after the first message) that go through PersistThenAck one at a
 * time, so the `multiple` ack of a batch never covers a message of a later, unstored batch.
 * While Redis is away the consumer is cancelled (no new deliveries; the ones in hand stay unacked)
 * and it is re-attached once a batch is stored again.
 */
export class ConsumeMode {
  private pending: UnackedMessage[] = [];
  private flushing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private consumer: { channel: Channel; tag: string } | undefined;
  private paused = false;
  private stopping = false;

  constructor(private readonly o: ConsumeModeOptions) {}

  start(): void {
    this.o.source.on('channel', (ch) => {
      // A new channel holds nothing unacked; consume again even if Redis was away when the old one
      // died: the next batch probes Redis and pauses again if it is still gone.
      this.paused = false;
      void this.attach(ch);
    });
    this.o.source.on('retiring', (ch) => {
      // Token renewal: no new deliveries here; the batches in hand are still acked on it.
      const c = this.consumer;
      if (c?.channel !== ch) return;
      this.consumer = undefined;
      void ch.cancel(c.tag).catch(() => undefined);
    });
    this.o.source.on('lost', (ch) => {
      // Deliveries of a dead channel are void: RabbitMQ requeues them, we drop our copies.
      this.pending = this.pending.filter((d) => d.amqpChannel !== ch);
      if (this.consumer?.channel === ch) this.consumer = undefined;
    });
    const ch = this.o.source.channel;
    if (ch) void this.attach(ch);
  }

  private async attach(ch: Channel): Promise<void> {
    if (this.stopping || this.paused || this.consumer?.channel === ch) return;
    try {
      await ch.prefetch(this.o.prefetch);
      const reply = await ch.consume(this.o.queue, (m) => this.onMessage(ch, m), { noAck: false });
      this.consumer = { channel: ch, tag: reply.consumerTag };
      this.o.log.info({ queue: this.o.queue, prefetch: this.o.prefetch }, 'consuming');
    } catch (err) {
      // The channel died under us; DueslagConnection reconnects and calls attach again.
      this.o.log.warn({ err: oneLine(err) }, 'could not start consuming');
    }
  }

  private onMessage(ch: Channel, m: ConsumeMessage | null): void {
    if (m === null) {
      // The broker cancelled us (queue deleted): reopen; the new channel re-declares the queue.
      this.o.log.warn({ queue: this.o.queue }, 'consumer cancelled by the broker; reconnecting');
      this.consumer = undefined;
      ch.close().catch(() => undefined);
      return;
    }
    this.pending.push({ amqpChannel: ch, msg: m, receivedAt: Date.now() });
    if (this.pending.length >= this.o.batchSize) this.kick();
    else this.timer ??= setTimeout(() => this.kick(), this.o.lingerMs);
  }

  private kick(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.flushing ??= this.flush().finally(() => {
      this.flushing = undefined;
      // Messages that arrived while the last batch was finishing.
      if (this.pending.length > 0) this.kick();
    });
  }

  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.o.batchSize);
      const outcome = await this.o.persister.run(batch, () => void this.pause('until the inbox is writable'));
      if (outcome === 'acked' && this.paused && !this.stopping) {
        this.paused = false;
        this.o.log.info('inbox writable again; resuming consumer');
        const ch = this.o.source.channel;
        if (ch) await this.attach(ch);
      }
      if (outcome === 'abandoned' && this.stopping) {
        this.pending = [];
      }
    }
  }

  /** Stops new deliveries (Redis is away, or shutdown). */
  private async pause(why: string): Promise<void> {
    this.paused = true;
    const c = this.consumer;
    this.consumer = undefined;
    if (!c) return;
    this.o.log.info(`consumer cancelled ${why}`);
    await c.channel.cancel(c.tag).catch(() => undefined);
  }

  /** Cancels the consumer and lets the batches in hand finish (stored and acked, or abandoned). */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.pause('for shutdown');
    this.kick();
    await this.flushing;
  }
}
