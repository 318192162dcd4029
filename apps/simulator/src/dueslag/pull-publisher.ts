import * as amqp from 'amqplib';
import { SimError } from '../sim-error';

/**
 * Puts messages on dueslag queues of the local RabbitMQ as Beskedfordeler does for pull:
 * durable queue named by the dueslag UUID, persistent messages, messageId = TransaktionsId.
 * Publisher confirms make `flush` mean "the broker has them".
 */
export class PullPublisher {
  private readonly declared = new Set<string>();
  private pending = 0;

  private constructor(
    private readonly connection: amqp.ChannelModel,
    private readonly channel: amqp.ConfirmChannel,
  ) {}

  static async connect(url: string): Promise<PullPublisher> {
    const connection = await amqp.connect(url);
    // A broken connection must not crash the process; the next publish reports it.
    connection.on('error', () => undefined);
    const channel = await connection.createConfirmChannel();
    channel.on('error', () => undefined);
    return new PullPublisher(connection, channel);
  }

  async ensureQueue(dueslag: string): Promise<void> {
    if (this.declared.has(dueslag)) return;
    await this.channel.assertQueue(dueslag, { durable: true });
    this.declared.add(dueslag);
  }

  /**
   * Queues one message (a string is sent as UTF-8, a Buffer byte for byte); call flush() to wait
   * for the broker's confirms. `declareQueue: false` for a queue the broker side owns.
   */
  async publish(
    dueslag: string,
    xml: string | Buffer,
    messageId: string,
    opts: { declareQueue?: boolean } = {},
  ): Promise<void> {
    if (opts.declareQueue !== false) await this.ensureQueue(dueslag);
    const body = typeof xml === 'string' ? Buffer.from(xml, 'utf8') : xml;
    const ok = this.channel.sendToQueue(dueslag, body, {
      persistent: true,
      messageId,
      contentType: 'application/xml',
      contentEncoding: 'utf-8',
      timestamp: Math.floor(Date.now() / 1000),
    });
    this.pending++;
    // Respect back-pressure: wait for the channel to drain before writing more.
    if (!ok) await new Promise<void>((resolve) => this.channel.once('drain', () => resolve()));
    if (this.pending >= 500) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pending === 0) return;
    this.pending = 0;
    try {
      await this.channel.waitForConfirms();
    } catch (err) {
      throw new SimError('SIM_PUBLISH_FAILED', 'broker did not confirm published messages', { cause: err });
    }
  }

  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      await this.channel.close().catch(() => undefined);
      await this.connection.close().catch(() => undefined);
    }
  }
}
