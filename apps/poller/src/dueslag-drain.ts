import type { Channel, ConsumeMessage } from 'amqplib';
import type { DueslagConnection } from '@cprh/kombit';
import { oneLine } from '@cprh/pipeline';
import { type Logger } from '@cprh/runtime';
import type { UnackedMessage } from './unacked-message';
import type { PersistThenAck } from './persist-then-ack';

export interface DrainOptions {
  source: DueslagConnection;
  queue: string;
  /** Unacked deliveries the drain's consumer may hold (POLLER_PREFETCH). */
  prefetch: number;
  batchSize: number;
  /** How long a partial batch waits for more deliveries before it is stored (POLLER_LINGER_MS). */
  lingerMs: number;
  /** Messages one drain takes at most; 0 = until the dueslag is empty (POLLER_POLL_MAX_MESSAGES). */
  maxMessages: number;
  persister: PersistThenAck;
  log: Logger;
  /** True once the poller stops: the drain takes nothing more and finishes what it holds. */
  stopping: () => boolean;
}

export type DrainEnd = 'empty' | 'cap' | 'stopped' | 'channel-lost' | 'stalled';

export interface DrainResult {
  /** Messages stored in the inbox and acked upstream. */
  acked: number;
  end: DrainEnd;
}

/**
 * No delivery for this long while the prefetch window has room: the broker has nothing ready for
 * us, which a queue check then confirms (a slow broker or a busy event loop only means one more check).
 */
const IDLE_MS = 100;

/** Messages ready but none delivered for this long: something is wrong with the channel; end the drain. */
const STALL_MS = 15_000;

/**
 * One bounded drain of the dueslag (a poll tick): a consumer with a prefetch window for the length
 * of the drain, so deliveries stream in while the previous batch is being stored (basic.get costs
 * a round trip per message). Batches of one channel go through PersistThenAck in order; the drain
 * ends when the queue is empty (or the cap is reached), after everything taken is stored and acked.
 *
 * Token renewal does not end it: the consumer moves to the new channel at once, and the batches in
 * hand are still acked on the retiring one (DueslagConnection keeps it open for a grace period).
 * Deliveries on a channel that dies before their ack go back to the queue; the consumer on the new
 * channel takes them again and the BeskedId job ids make the second store a no-op.
 */
export class DueslagDrain {
  private pending: UnackedMessage[] = [];
  private consumer: { channel: Channel; tag: string } | undefined;
  /** Unacked deliveries per channel (the prefetch window in use). */
  private readonly inHand = new Map<Channel, number>();
  private taken = 0;
  private acked = 0;
  private lastDeliveryAt = Date.now();
  private firstPendingAt = 0;
  private takingMore = true;
  private end: DrainEnd = 'empty';
  private wake: (() => void) | undefined;
  private attaching: Promise<void> | undefined;

  constructor(private readonly o: DrainOptions) {}

  async run(): Promise<DrainResult> {
    const onChannel = (ch: Channel): void => {
      if (this.takingMore) void this.attach(ch);
    };
    const onRetiring = (ch: Channel): void => {
      // No new deliveries on it; what it already handed over is still stored and acked there.
      if (this.consumer?.channel !== ch) return;
      const tag = this.consumer.tag;
      this.consumer = undefined;
      void ch.cancel(tag).catch(() => undefined);
    };
    const onLost = (ch: Channel): void => {
      // Its unacked deliveries are back in the queue: our copies are void.
      this.pending = this.pending.filter((d) => d.amqpChannel !== ch);
      this.inHand.delete(ch);
      if (this.consumer?.channel === ch) this.consumer = undefined;
      this.poke();
    };
    this.o.source.on('channel', onChannel);
    this.o.source.on('retiring', onRetiring);
    this.o.source.on('lost', onLost);
    try {
      const ch = this.o.source.channel;
      if (ch) await this.attach(ch);
      await this.loop();
    } finally {
      this.o.source.off('channel', onChannel);
      this.o.source.off('retiring', onRetiring);
      this.o.source.off('lost', onLost);
      await this.cancelConsumer();
    }
    return { acked: this.acked, end: this.end };
  }

  private async loop(): Promise<void> {
    for (;;) {
      if (this.takingMore && this.o.stopping()) await this.stopTaking('stopped');
      const batch = this.nextBatch();
      if (batch) {
        const outcome = await this.o.persister.run(batch);
        const ch = batch[0]?.amqpChannel;
        if (ch && this.inHand.has(ch))
          this.inHand.set(ch, Math.max(0, (this.inHand.get(ch) ?? 0) - batch.length));
        if (outcome === 'acked') this.acked += batch.length;
        // The broker refills the window after the ack; count the wait for it from here.
        this.lastDeliveryAt = Math.max(this.lastDeliveryAt, Date.now());
        continue;
      }
      if (!this.takingMore) {
        if (this.pending.length === 0) return;
        continue;
      }
      if (this.consumer === undefined && this.o.source.channel === undefined) {
        // The connection is gone and reconnecting: the next tick carries on.
        this.o.log.warn({ acked: this.acked }, 'drain ended: no channel to the AMQP broker (reconnecting)');
        await this.stopTaking('channel-lost');
        continue;
      }
      if (this.consumer === undefined && this.o.source.channel) await this.attach(this.o.source.channel);
      if (this.pending.length === 0 && this.windowOpen() && Date.now() - this.lastDeliveryAt >= IDLE_MS) {
        if (await this.queueEmpty()) {
          await this.stopTaking('empty');
          continue;
        }
        if (Date.now() - this.lastDeliveryAt >= STALL_MS) {
          this.o.log.warn({ acked: this.acked }, 'drain ended: messages are ready but none arrive');
          await this.stopTaking('stalled');
          continue;
        }
      }
      await this.sleep(this.pending.length > 0 ? this.o.lingerMs : IDLE_MS);
    }
  }

  /** A full batch of the oldest channel, or a partial one once it lingered (or nothing more comes). */
  private nextBatch(): UnackedMessage[] | undefined {
    const first = this.pending[0];
    if (first === undefined) return undefined;
    const same = this.pending.filter((d) => d.amqpChannel === first.amqpChannel);
    const full = same.length >= this.o.batchSize;
    const lingered = Date.now() - this.firstPendingAt >= this.o.lingerMs;
    const channelDone = this.consumer?.channel !== first.amqpChannel;
    if (!full && !lingered && !channelDone && this.takingMore) return undefined;
    const batch = same.slice(0, this.o.batchSize);
    const chosen = new Set(batch);
    this.pending = this.pending.filter((d) => !chosen.has(d));
    this.firstPendingAt = Date.now();
    return batch;
  }

  private windowOpen(): boolean {
    const ch = this.consumer?.channel;
    return ch !== undefined && (this.inHand.get(ch) ?? 0) < this.o.prefetch;
  }

  /** One consumer at a time: the loop and the 'channel' event may both ask for one. */
  private attach(ch: Channel): Promise<void> {
    this.attaching ??= this.startConsumer(ch).finally(() => {
      this.attaching = undefined;
    });
    return this.attaching;
  }

  private async startConsumer(ch: Channel): Promise<void> {
    if (!this.takingMore || this.consumer?.channel === ch) return;
    if (this.consumer) await this.cancelConsumer();
    try {
      await ch.prefetch(this.o.prefetch);
      const reply = await ch.consume(this.o.queue, (m) => this.onMessage(ch, m), { noAck: false });
      if (!this.takingMore || this.o.source.channel !== ch) {
        // Stopped, or renewed, while the consume was on its way.
        await ch.cancel(reply.consumerTag).catch(() => undefined);
        return;
      }
      this.consumer = { channel: ch, tag: reply.consumerTag };
      this.lastDeliveryAt = Date.now();
    } catch (err) {
      // The channel died under us; the 'channel' event of its successor attaches again.
      this.o.log.warn({ err: oneLine(err) }, 'drain could not start its consumer');
    }
  }

  private onMessage(ch: Channel, m: ConsumeMessage | null): void {
    if (m === null) {
      // The broker cancelled the consumer (queue deleted): end this drain; the next tick checks again.
      this.o.log.warn({ queue: this.o.queue }, 'drain consumer cancelled by the broker');
      if (this.consumer?.channel === ch) this.consumer = undefined;
      void this.stopTaking('channel-lost');
      return;
    }
    if (!this.takingMore) {
      // In flight when the cap was reached: back to the queue for the next tick, untouched.
      try {
        ch.nack(m, false, true);
      } catch {
        // The channel is closing: the broker requeues it anyway.
      }
      return;
    }
    if (this.pending.length === 0) this.firstPendingAt = Date.now();
    this.pending.push({ amqpChannel: ch, msg: m, receivedAt: Date.now() });
    this.inHand.set(ch, (this.inHand.get(ch) ?? 0) + 1);
    this.lastDeliveryAt = Date.now();
    this.taken += 1;
    if (this.o.maxMessages > 0 && this.taken >= this.o.maxMessages) void this.stopTaking('cap');
    if (this.pending.length >= this.o.batchSize) this.poke();
  }

  /** Ready messages of the dueslag, asked on the consumer's channel (a passive declare). */
  private async queueEmpty(): Promise<boolean> {
    const ch = this.consumer?.channel;
    if (!ch) return false;
    try {
      return (await ch.checkQueue(this.o.queue)).messageCount === 0;
    } catch {
      return false; // the channel died; the loop sees it
    }
  }

  private async stopTaking(end: DrainEnd): Promise<void> {
    if (!this.takingMore) return;
    this.takingMore = false;
    this.end = end;
    this.poke();
    await this.cancelConsumer();
  }

  private async cancelConsumer(): Promise<void> {
    const c = this.consumer;
    this.consumer = undefined;
    if (c) await c.channel.cancel(c.tag).catch(() => undefined);
  }

  private poke(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.poke(), ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
