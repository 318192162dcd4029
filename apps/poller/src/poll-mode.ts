import type { Channel } from 'amqplib';
import { Queue, Worker } from 'bullmq';
import type { RedisConnection as Redis } from '@cprh/pipeline';
import type { DueslagConnection } from '@cprh/kombit';
import type { Logger } from '@cprh/pipeline';
import type { Delivery } from './delivery';
import type { PersistThenAck } from './persist-then-ack';

export interface PollModeOptions {
  source: DueslagConnection;
  queue: string;
  batchSize: number;
  intervalSeconds: number;
  schedulerQueue: string;
  prefix: string;
  /** Connection for the scheduler queue (producer side). */
  redis: Redis;
  /** Connection for the scheduler's BullMQ worker (blocking commands). */
  workerRedis: Redis;
  persister: PersistThenAck;
  log: Logger;
}

/**
 * Mode `poll` (the design card's scheduler): a BullMQ job scheduler fires a tick every N seconds;
 * the tick drains the dueslag with basic.get in batches through the same PersistThenAck path.
 * Several pollers share one scheduler id, so one tick runs at a time across them.
 */
export class PollMode {
  private queue: Queue | undefined;
  private worker: Worker | undefined;
  private stopping = false;

  constructor(private readonly o: PollModeOptions) {}

  private get schedulerId(): string {
    return `drain-${this.o.queue}`;
  }

  /** One tick queue per dueslag, so a poller never runs the tick meant for another dueslag. */
  private get tickQueue(): string {
    return `${this.o.schedulerQueue}-${this.o.queue.replace(/:/g, '_')}`;
  }

  async start(): Promise<void> {
    this.queue = new Queue(this.tickQueue, { connection: this.o.redis, prefix: this.o.prefix });
    this.queue.on('error', (err) => this.o.log.debug({ err: err.message }, 'scheduler queue error'));
    await this.queue.upsertJobScheduler(
      this.schedulerId,
      { every: this.o.intervalSeconds * 1000 },
      { name: 'drain', data: { queue: this.o.queue }, opts: { removeOnComplete: 100, removeOnFail: 100 } },
    );
    this.worker = new Worker(this.tickQueue, async () => this.drain(), {
      connection: this.o.workerRedis,
      prefix: this.o.prefix,
      concurrency: 1,
    });
    this.worker.on('error', (err) => this.o.log.debug({ err: err.message }, 'scheduler worker error'));
    this.worker.on('failed', (_job, err) => this.o.log.warn({ err: err.message }, 'drain tick failed'));
    this.o.log.info({ queue: this.o.queue, everySeconds: this.o.intervalSeconds }, 'polling');
  }

  /** One tick: get up to a batch, store and ack it, repeat until the dueslag is empty. */
  async drain(): Promise<{ drained: number }> {
    let drained = 0;
    while (!this.stopping) {
      const ch: Channel | undefined = this.o.source.channel;
      if (!ch) throw new Error('no AMQP channel (reconnecting)');
      const batch: Delivery[] = [];
      try {
        while (batch.length < this.o.batchSize) {
          const m = await ch.get(this.o.queue, { noAck: false });
          if (m === false) break;
          batch.push({ channel: ch, msg: m, receivedAt: Date.now() });
        }
      } catch (err) {
        // The channel was replaced (token renewal) or lost under us: its gets are requeued; go on
        // with the current channel, or fail the tick when there is none.
        if (this.o.source.channel === ch || this.o.source.channel === undefined) throw err;
        continue;
      }
      if (batch.length === 0) break;
      const outcome = await this.o.persister.run(batch);
      if (outcome !== 'acked') break;
      drained += batch.length;
    }
    if (drained > 0) this.o.log.debug({ drained }, 'drain tick done');
    return { drained };
  }

  /** Stops ticking; a tick in progress finishes its batch. The scheduler stays for the next start. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.worker?.close();
    await this.queue?.close();
  }
}
