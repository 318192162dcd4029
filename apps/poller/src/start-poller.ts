import { checkRedis, createProducerRedis, PartitionedInboxWriter, logRedisErrors } from '@cprh/pipeline';
import { DEFAULT_TENANT_ID } from '@cprh/config';
import type { Logger, RunningService } from '@cprh/runtime';
import { startDueslagPull } from './dueslag-pull';
import type { PollerConfig } from './poller-sections';
import { observePoller } from './poller-observability';

/**
 * Starts the poller: checks Redis (reachable, noeviction) and RabbitMQ (reachable, dueslag there),
 * then moves messages from the dueslag into the inbox, acking only what is stored.
 * Rejects with a one-line error when a server is unreachable at start.
 */
export async function startPoller(config: PollerConfig, log: Logger): Promise<RunningService> {
  const p = config.poller;
  // A certificate problem is a one-line error before anything is opened. Loaded only in sts mode:
  // the certificate and STS code bring node-forge and undici, which plain mode does not need.
  const login =
    config.amqp.auth === 'sts' ? loadStsLogin().stsLogin(config, log, DEFAULT_TENANT_ID) : undefined;
  await checkRedis(config.redis, log, config.pipeline).catch(async (err: unknown) => {
    await login?.sts.close();
    throw err;
  });

  const redis = createProducerRedis(config.redis, 'cprh-poller');
  logRedisErrors(redis, log, 'poller');
  await redis.connect();
  const writer = new PartitionedInboxWriter(redis, config.pipeline, config.redis, log);

  let pull;
  try {
    pull = await startDueslagPull({
      config,
      redis,
      writer,
      login,
      log,
      tenant: DEFAULT_TENANT_ID,
      connectionName: `cprh-poller ${p.dueslagQueue}`,
    });
  } catch (err) {
    await login?.sts.close();
    await writer.close().catch(() => undefined);
    redis.disconnect();
    throw err;
  }
  const unobserve = observePoller(pull.source, redis);
  log.info({ mode: p.mode, queue: p.dueslagQueue }, 'poller started');

  return {
    async stop() {
      await pull.stop();
      unobserve();
      await login?.sts.close();
      await writer.close().catch(() => undefined);
      redis.disconnect();
    },
  };
}

/**
 * require, not import(): the processes run TypeScript through tsx's CommonJS hook, and a native
 * import() would go to Node's ESM loader, which cannot resolve the .ts source.
 */
export function loadStsLogin(): typeof import('./sts-login.js') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./sts-login') as typeof import('./sts-login.js');
}
