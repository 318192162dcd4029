import { DueslagConnection } from '@cprh/kombit/dueslag';
import {
  checkRedis,
  createProducerRedis,
  createWorkerRedis,
  eventSources,
  PartitionedInboxWriter,
  logRedisErrors,
} from '@cprh/pipeline';
import { FaultInjector, type Logger, type RunningService } from '@cprh/runtime';
import { ConsumeMode } from './consume-mode';
import type { PollerConfig } from './poller-sections';
import { observePoller } from './poller-observability';
import { PersistThenAck } from './persist-then-ack';
import { PollMode } from './poll-mode';

/**
 * Starts the poller: checks Redis (reachable, noeviction) and RabbitMQ (reachable, dueslag there),
 * then moves messages from the dueslag into the inbox, acking only what is stored.
 * Rejects with a one-line error when a server is unreachable at start.
 */
export async function startPoller(config: PollerConfig, log: Logger): Promise<RunningService> {
  const p = config.poller;
  // A certificate problem is a one-line error before anything is opened. Loaded only in sts mode:
  // the certificate and STS code bring node-forge and undici, which plain mode does not need.
  const login = config.amqp.auth === 'sts' ? loadStsLogin().stsLogin(config, log) : undefined;
  await checkRedis(config.redis, log, config.pipeline).catch(async (err: unknown) => {
    await login?.sts.close();
    throw err;
  });

  const redis = createProducerRedis(config.redis, 'cprh-poller');
  logRedisErrors(redis, log, 'poller');
  await redis.connect();
  const writer = new PartitionedInboxWriter(redis, config.pipeline, config.redis, log);

  const source = new DueslagConnection({
    url: config.amqp.url,
    queue: p.dueslagQueue,
    declareQueue: p.declareQueue,
    retry: p.retry,
    log,
    connectionName: `cprh-poller ${p.dueslagQueue}`,
    ...(login ? { login } : {}),
  });
  try {
    await source.start();
  } catch (err) {
    await login?.sts.close();
    await writer.close().catch(() => undefined);
    redis.disconnect();
    throw err;
  }

  const unobserve = observePoller(source, redis);
  const abort = new AbortController();
  const persister = new PersistThenAck({
    writer,
    source: eventSources.dueslag(p.dueslagQueue),
    faults: new FaultInjector(config.pipeline.fault),
    retry: p.retry,
    log,
    canAck: (ch) => source.canAck(ch),
    signal: abort.signal,
  });

  let mode: { stop(): Promise<void> };
  let workerRedis: ReturnType<typeof createWorkerRedis> | undefined;
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
      redis,
      workerRedis,
      persister,
      log,
    });
    await poll.start();
    mode = poll;
  }
  log.info({ mode: p.mode, queue: p.dueslagQueue }, 'poller started');

  return {
    async stop() {
      // A batch held while Redis is away waits at most this long, then stays unacked upstream.
      const deadline = setTimeout(() => abort.abort(), p.stopGraceMs);
      try {
        await mode.stop();
      } finally {
        clearTimeout(deadline);
        abort.abort();
      }
      unobserve();
      // Closing the channel returns anything still unacked to the queue.
      await source.close();
      await login?.sts.close();
      await writer.close().catch(() => undefined);
      redis.disconnect();
      workerRedis?.disconnect();
    },
  };
}

/**
 * require, not import(): the processes run TypeScript through tsx's CommonJS hook, and a native
 * import() would go to Node's ESM loader, which cannot resolve the .ts source.
 */
function loadStsLogin(): typeof import('./sts-login.js') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./sts-login') as typeof import('./sts-login.js');
}
