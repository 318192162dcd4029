import { Queue, Worker } from 'bullmq';
import type { RedisConnection as Redis } from '@cprh/pipeline';
import type { DueslagConnection } from '@cprh/kombit';
import type { Logger } from '@cprh/runtime';
import { DrainLock, drainLockKey } from './drain-lock';
import { DueslagDrain, type DrainResult } from './dueslag-drain';
import type { PersistThenAck } from './persist-then-ack';

export interface PollModeOptions {
  source: DueslagConnection;
  queue: string;
  prefetch: number;
  batchSize: number;
  lingerMs: number;
  /** Messages one tick takes at most; 0 = until the dueslag is empty. */
  maxMessages: number;
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
 * the tick is one bounded drain of the dueslag (DueslagDrain) through the same PersistThenAck path.
 * Several pollers share one scheduler id and a drain lock, so one drain runs at a time across them.
 */
export class PollMode {
  private queue: Queue | undefined;
  private worker: Worker | undefined;
  private stopping = false;
  private readonly lock: DrainLock;

  constructor(private readonly o: PollModeOptions) {
    this.lock = new DrainLock(o.redis, drainLockKey(o.prefix, this.tickQueue));
  }

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

  /** One tick: drain until the dueslag is empty (or the cap); skipped while another poller drains. */
  async drain(): Promise<DrainResult | { skipped: true }> {
    if (this.stopping) return { skipped: true };
    const started = Date.now();
    const result = await this.lock.withLock(() =>
      new DueslagDrain({
        source: this.o.source,
        queue: this.o.queue,
        prefetch: this.o.prefetch,
        batchSize: this.o.batchSize,
        lingerMs: this.o.lingerMs,
        maxMessages: this.o.maxMessages,
        persister: this.o.persister,
        log: this.o.log,
        stopping: () => this.stopping,
      }).run(),
    );
    if (result === undefined) {
      this.o.log.debug('a drain runs in another poller; tick skipped');
      return { skipped: true };
    }
    const facts = { ...result, ms: Date.now() - started };
    // One line per drain that moved something or stopped short; an empty tick is debug.
    if (result.acked === 0 && result.end === 'empty') this.o.log.debug(facts, 'drain done');
    else this.o.log.info(facts, 'drain done');
    return result;
  }

  /** Stops ticking; a drain in progress stores and acks what it holds, then ends. The scheduler stays for the next start. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.worker?.close();
    await this.queue?.close();
  }
}
