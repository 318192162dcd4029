import type { RedisConnection as Redis } from '@cprh/pipeline';
import { checkRedis, createWorkerRedis, logRedisErrors, oneLine } from '@cprh/pipeline';
import { addReadinessCheck, type Logger, type RunningService } from '@cprh/runtime';
import { DEFAULT_TENANT_ID, type WebhookEndpoint } from '@cprh/config';
import { DeliveryStore } from './delivery-store';
import { endpointStream } from './endpoint-stream';
import { EndpointClient } from './endpoint-client';
import { EndpointDeliverer } from './endpoint-deliverer';
import { EndpointIntake } from './endpoint-intake';
import { displayUrl, registerEndpoint } from './endpoint-status';
import { webhookMetrics } from './webhook-metrics';
import type { WebhooksConfig } from './webhooks-sections';
import { WebhooksError } from './webhooks-error';

/** How often the backlog gauges are read from Redis. */
const GAUGE_REFRESH_MS = 2000;

interface Running {
  tenant: string;
  endpoint: WebhookEndpoint;
  store: DeliveryStore;
  intake: EndpointIntake;
  deliverer: EndpointDeliverer;
  client: EndpointClient;
}

async function refreshGauges(running: Running[]): Promise<void> {
  for (const r of running) {
    const label = { endpoint: r.endpoint.id, tenant: r.tenant };
    const [backlog, dead, disabled] = await Promise.all([
      r.store.backlog(),
      r.store.deadCount(),
      r.store.disabled(),
    ]);
    webhookMetrics.backlog.set(label, backlog.count);
    webhookMetrics.backlogAge.set(
      label,
      backlog.oldestMs === null ? 0 : Math.max(0, (Date.now() - backlog.oldestMs) / 1000),
    );
    webhookMetrics.deadLetterCount.set(label, dead);
    webhookMetrics.enabled.set(label, disabled === null ? 1 : 0);
  }
}

/**
 * Starts the webhook delivery process: for each endpoint of WEBHOOKS_FILE an intake (stream ->
 * the endpoint's queues, one process at a time) and a deliverer (queues -> HTTP, in every process).
 * Several processes may run against the same Redis; each shares the work.
 */
export async function startWebhooks(config: WebhooksConfig, log: Logger): Promise<RunningService> {
  const { webhooks, pipeline } = config;
  const tenant = pipeline.tenant ?? DEFAULT_TENANT_ID;
  if (webhooks.endpoints.length === 0) {
    throw new WebhooksError(
      'WEBHOOKS_NOT_CONFIGURED',
      webhooks.file === undefined
        ? 'WEBHOOKS_FILE is not set: nothing to deliver'
        : `${webhooks.file} lists no endpoints`,
    );
  }
  // A delivery re-reads its entry by id from the endpoint's stream name, which holds no entries when
  // partitioned: refuse rather than report every event as gone.
  if (pipeline.partitions > 1) {
    throw new WebhooksError(
      'WEBHOOKS_PARTITIONS_UNSUPPORTED',
      `Webhooks do not yet read partitioned streams: PARTITIONS=${pipeline.partitions}; run them against a deployment with PARTITIONS=1`,
    );
  }
  // TLS files first: a wrong file stops the start before anything is read from the stream.
  const clients = webhooks.endpoints.map((e) => new EndpointClient(e));
  await checkRedis(config.redis, log);
  // Blocking reads are on the consumers' own duplicates; this one carries the scripts.
  const redis: Redis = createWorkerRedis(config.redis, 'cprh-webhooks');
  logRedisErrors(redis, log, 'webhooks');
  await redis.connect();

  const running: Running[] = [];
  for (const [i, endpoint] of webhooks.endpoints.entries()) {
    const client = clients[i] as EndpointClient;
    const stream = endpointStream(pipeline, endpoint);
    const store = new DeliveryStore(redis, pipeline.queuePrefix, endpoint.id);
    const elog = log.child({ endpoint: endpoint.id });
    // Queues written by a version without `heads` become claimable again.
    const backfilled = await store.backfillHeads();
    if (backfilled > 0) elog.info({ persons: backfilled }, 'webhook queues given their head entry');
    const deliverer = new EndpointDeliverer({
      endpoint,
      stream,
      store,
      client,
      redis,
      pollMs: webhooks.pollMs,
      log: elog,
      tenant,
    });
    const intake = new EndpointIntake({
      endpoint,
      stream,
      store,
      redis,
      leaseMs: webhooks.intakeLeaseMs,
      acceptedTtlMs: webhooks.acceptedTtlMs,
      log: elog,
      onQueued: () => deliverer.wake(),
    });
    await registerEndpoint(redis, pipeline.queuePrefix, {
      id: endpoint.id,
      url: displayUrl(endpoint.url),
      stream,
      types: endpoint.types,
      concurrency: endpoint.concurrency,
      mode: endpoint.mode,
      seenAt: Date.now(),
    });
    running.push({ tenant, endpoint, store, intake, deliverer, client });
  }
  for (const r of running) {
    r.deliverer.start();
    r.intake.start();
  }
  const gauges = setInterval(() => {
    refreshGauges(running).catch((err: unknown) =>
      log.debug({ err: oneLine(err) }, 'webhook gauges not refreshed'),
    );
  }, GAUGE_REFRESH_MS);
  await refreshGauges(running).catch(() => undefined);
  const check = pipeline.tenant === undefined ? 'webhooks' : `webhooks ${pipeline.tenant}`;
  const removeCheck = addReadinessCheck(check, async () =>
    redis.status === 'ready' ? { ready: true } : { ready: false, reason: `redis connection ${redis.status}` },
  );
  log.info({ endpoints: running.map((r) => r.endpoint.id) }, 'webhooks delivering');

  return {
    async stop() {
      removeCheck();
      clearInterval(gauges);
      // Stop reading first, then let attempts in flight finish and be recorded.
      await Promise.all(running.map((r) => r.intake.stop()));
      await Promise.all(running.map((r) => r.deliverer.stop()));
      await Promise.all(running.map((r) => r.client.close()));
      redis.disconnect();
    },
  };
}
