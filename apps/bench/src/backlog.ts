import amqp from 'amqplib';
import type { Envelope } from './envelopes';

/**
 * The bench's own dueslag on the local RabbitMQ: declared durable like KOMBIT's, filled with
 * persistent messages under publisher confirms, deleted afterwards.
 */
export class Dueslag {
  private constructor(
    readonly queue: string,
    private readonly conn: amqp.ChannelModel,
    private readonly ch: amqp.ConfirmChannel,
  ) {}

  static async open(url: string, queue: string): Promise<Dueslag> {
    const conn = await amqp.connect(url);
    conn.on('error', () => undefined);
    const ch = await conn.createConfirmChannel();
    ch.on('error', () => undefined);
    await ch.assertQueue(queue, { durable: true });
    return new Dueslag(queue, conn, ch);
  }

  /** Sends one message without waiting for its confirm; returns false when the channel is full. */
  send(e: Envelope): boolean {
    return this.ch.sendToQueue(this.queue, e.body, {
      persistent: true,
      messageId: e.messageId,
      contentType: 'application/xml',
    });
  }

  async drained(): Promise<void> {
    await new Promise<void>((resolve) => this.ch.once('drain', () => resolve()));
  }

  async confirms(): Promise<void> {
    await this.ch.waitForConfirms();
  }

  /** Puts every envelope on the queue and resolves when the broker has confirmed them all. */
  async preload(envelopes: readonly Envelope[]): Promise<void> {
    let sinceConfirm = 0;
    for (const e of envelopes) {
      if (!this.send(e)) await this.drained();
      if (++sinceConfirm >= 1000) {
        await this.confirms();
        sinceConfirm = 0;
      }
    }
    await this.confirms();
  }

  async depth(): Promise<number> {
    return (await this.ch.checkQueue(this.queue)).messageCount;
  }

  async delete(): Promise<void> {
    await this.ch.deleteQueue(this.queue).catch(() => undefined);
    await this.conn.close().catch(() => undefined);
  }
}
