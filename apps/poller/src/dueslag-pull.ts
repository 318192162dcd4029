import { DueslagConnection, type StsLogin } from '@cprh/kombit/dueslag';
import { createWorkerRedis, eventSources, logRedisErrors, type InboxWriter } from '@cprh/pipeline';
import type { RedisConnection as Redis } from '@cprh/pipeline';
import { FaultInjector, type Logger } from '@cprh/runtime';
import { ConsumeMode } from './consume-mode';
import { PersistThenAck } from './persist-then-ack';
import type { PollerConfig } from './poller-sections';
import { PollMode } from './poll-mode';

export interface DueslagPullOptions {
  /** The settings of the dueslag's municipality (the process's own without TENANTS_FILE). */
  config: PollerConfig;
  /** The inbox's producer connection (shared by every tenant of the process). */
  redis: Redis;
  writer: Pick<InboxWriter, 'persist'>;
  /** AMQP_AUTH=sts: the certificate and STS client the connection logs in with. */
  login: StsLogin | undefined;
  log: Logger;
  /** The `tenant` metric label (`default` without TENANTS_FILE). */
  tenant: string;
  /** Shown in the RabbitMQ management UI. */
  connectionName: string;
}

/** A dueslag being moved into the inbox; `stop` stores and acks what it holds, then closes. */
export interface DueslagPull {
  readonly source: DueslagConnection;
  stop(): Promise<void>;
}

/**
 * Opens the dueslag (rejects with a one-line KombitError when the broker or the queue is not
 * there) and moves its messages into the inbox in the configured mode, acking only what is stored.
 * The caller owns `redis`, `writer` and `login`; this owns the AMQP connection and the mode.
 */
export async function startDueslagPull(o: DueslagPullOptions): Promise<DueslagPull> {
  const { config, log } = o;
  const p = config.poller;
  const source = new DueslagConnection({
    url: config.amqp.url,
    queue: p.dueslagQueue,
    declareQueue: p.declareQueue,
    retry: p.retry,
    log,
    connectionName: o.connectionName,
    ...(o.login ? { login: o.login } : {}),
  });
  await source.start();

  const abort = new AbortController();
  const persister = new PersistThenAck({
    writer: o.writer,
    source: eventSources.dueslag(p.dueslagQueue),
    faults: new FaultInjector(config.pipeline.fault),
    retry: p.retry,
    log,
    canAck: (ch) => source.canAck(ch),
    signal: abort.signal,
    tenant: o.tenant,
  });

  let mode: { stop(): Promise<void> };
  let workerRedis: Redis | undefined;
  try {
    if (p.mode === 'consume') {
      const consume = new ConsumeMode({
        source,
        queue: p.dueslagQueue,
        prefetch: p.prefetch,
        batchSize: p.batchSize,
        lingerMs: p.lingerMs,
        persister,
        log,
      });
      consume.start();
      mode = consume;
    } else {
      workerRedis = createWorkerRedis(config.redis, 'cprh-poller-scheduler');
      logRedisErrors(workerRedis, log, 'poller-scheduler');
      const poll = new PollMode({
        source,
        queue: p.dueslagQueue,
        prefetch: p.prefetch,
        batchSize: p.batchSize,
        lingerMs: p.lingerMs,
        maxMessages: p.pollMaxMessages,
        intervalSeconds: p.pollIntervalSeconds,
        schedulerQueue: p.schedulerQueue,
        prefix: config.pipeline.queuePrefix,
        redis: o.redis,
        workerRedis,
        persister,
        log,
      });
      await poll.start();
      mode = poll;
    }
  } catch (err) {
    await source.close();
    workerRedis?.disconnect();
    throw err;
  }

  return {
    source,
    async stop() {
      // A batch held while Redis is away waits at most this long, then stays unacked upstream.
      const deadline = setTimeout(() => abort.abort(), p.stopGraceMs);
      try {
        await mode.stop();
      } finally {
        clearTimeout(deadline);
        abort.abort();
      }
      // Closing the channel returns anything still unacked to the queue.
      await source.close();
      workerRedis?.disconnect();
    },
  };
}
