import { amqpUnreachable } from '@cprh/kombit';
import type { Logger } from 'pino';
import type { SimEvent } from '../population/sim-event';
import { PullPublisher } from './pull-publisher';

/** What the link needs of the distributor; structural, so dueslag does not import subscriptions. */
interface PublishingDistributor {
  setPublisher(publisher: PullPublisher): void;
  dispatch(events: readonly SimEvent[]): Promise<void>;
}

/**
 * The simulator's one RabbitMQ publisher, kept alive across broker restarts: a failed batch drops
 * the connection and the next batch opens a new one.
 */
export class PublisherLink {
  private constructor(
    private readonly url: string,
    private readonly logger: Logger,
    private publisher: PullPublisher | undefined,
  ) {}

  static async connect(url: string, logger: Logger): Promise<PublisherLink> {
    try {
      return new PublisherLink(url, logger, await PullPublisher.connect(url));
    } catch (err) {
      throw amqpUnreachable(url, err);
    }
  }

  /** Opens and closes one connection: rejects with the one-line "not reachable" error. */
  static async probe(url: string): Promise<void> {
    let publisher: PullPublisher;
    try {
      publisher = await PullPublisher.connect(url);
    } catch (err) {
      throw amqpUnreachable(url, err);
    }
    await publisher.close();
  }

  /** The current publisher (undefined between a failure and the next batch). */
  get current(): PullPublisher | undefined {
    return this.publisher;
  }

  /** Declares a dueslag now, as KOMBIT has it from the subscription's start (skipped while down). */
  async ensureQueue(dueslag: string): Promise<void> {
    await this.publisher?.ensureQueue(dueslag);
  }

  /** Hands the events to the distributor, reconnecting first when the last batch failed. */
  async deliver(distributor: PublishingDistributor, events: SimEvent[]): Promise<void> {
    if (!this.publisher) {
      this.publisher = await PullPublisher.connect(this.url);
      distributor.setPublisher(this.publisher);
      this.logger.info('simulator: reconnected to RabbitMQ');
    }
    try {
      await distributor.dispatch(events);
    } catch (err) {
      // The broker went away: drop the publisher and reconnect on the next batch.
      const old = this.publisher;
      this.publisher = undefined;
      await old?.close().catch(() => undefined);
      throw err;
    }
  }

  async close(): Promise<void> {
    await this.publisher?.close();
  }
}
