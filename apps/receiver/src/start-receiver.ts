import {
  checkRedis,
  createProducerRedis,
  eventSources,
  PartitionedInboxWriter,
  logRedisErrors,
  type InboxId,
  type ReceivedMessage,
} from '@cprh/pipeline';
import { DEFAULT_TENANT_ID } from '@cprh/config';
import { addReadinessCheck, metrics, type Logger, type RunningService } from '@cprh/runtime';
import { BodyChecker } from './body-checker';
import { InboxBatcher } from './inbox-batcher';
import { PushIntake } from './push-intake';
import { PushRefusals } from './push-refusals';
import { checkTenantPaths, PushTenants, type PushTenant } from './push-tenants';
import type { PushedMessage, PushSinks } from './pushed-message';
import type { ReceiverConfig } from './receiver-sections';
import { loadReceiverTls } from './receiver-tls';
import { ReceiverServer } from './receiver-server';

/** The `tenant` label of an answer to a path no tenant has (one value, never the path). */
export const NO_TENANT = '(none)';

/** The running receiver: its URLs (the port really bound) and a graceful stop. */
export interface RunningReceiver extends RunningService {
  /** The first (without TENANTS_FILE: the only) tenant's push URL. */
  readonly url: string;
  readonly port: number;
  /** Each tenant's push URL, by tenant id. */
  readonly urls: ReadonlyMap<string, string>;
}

/** A tenant as the receiver needs it (a TenantConfig of loadTenants): its id and its own configuration. */
export interface ReceiverTenant {
  readonly id: string;
  readonly config: ReceiverConfig;
}

function received(m: PushedMessage, id: InboxId): ReceivedMessage {
  return {
    body: m.body,
    source: eventSources.push,
    receivedAt: m.receivedAt,
    channel: { kind: 'push', certSubject: m.certSubject, certFingerprint256: m.certFingerprint256 },
    id,
  };
}

/** The receiver of one deployment without TENANTS_FILE: one tenant, `default`, on RECEIVER_PATH. */
export function startReceiver(config: ReceiverConfig, log: Logger): Promise<RunningReceiver> {
  return startTenantsReceiver([{ id: DEFAULT_TENANT_ID, config }], config, log);
}

/**
 * Starts the push receiver: reads its TLS files, checks Redis (reachable, noeviction), then serves
 * ModtagBesked for every tenant on one port: a push is matched to its tenant by the path (the
 * tenant's RECEIVER_PATH) and goes into that tenant's inbox through the same InboxWriter the
 * poller uses. `shared` gives what no tenant can override: the listener, TLS, limits and Redis.
 * Rejects with a one-line error when a file is wrong, Redis is unreachable or the port is taken.
 */
export async function startTenantsReceiver(
  tenants: readonly ReceiverTenant[],
  shared: ReceiverConfig,
  log: Logger,
): Promise<RunningReceiver> {
  const r = shared.receiver;
  checkTenantPaths(tenants.map((t) => ({ id: t.id, path: t.config.receiver.path })));
  const tls = loadReceiverTls(r.tls);
  const multi = tenants.some((t) => t.config.pipeline.tenant !== undefined);
  // One Redis for all; each tenant's key layout and PARTITIONS checked too. Redis's own warnings
  // (AOF off, too few replicas) once, not once per tenant.
  const quiet = log.child({}, { level: 'error' });
  for (const [i, t] of tenants.entries())
    await checkRedis(shared.redis, i === 0 ? log : quiet, t.config.pipeline);

  const redis = createProducerRedis(shared.redis, 'cprh-receiver');
  logRedisErrors(redis, log, 'receiver');
  await redis.connect();
  const writers: PartitionedInboxWriter[] = [];
  const checker = new BodyChecker(shared.besked.maxBytes, log);
  const pushTenants = new PushTenants(
    tenants.map((t): PushTenant => {
      const tenantLog = multi ? log.child({ tenant: t.id }) : log;
      const writer = new PartitionedInboxWriter(redis, t.config.pipeline, shared.redis, tenantLog);
      writers.push(writer);
      const batcher = new InboxBatcher(writer);
      const sinks: PushSinks = {
        store: (m, id) => batcher.store(received(m, id)),
        // A refused body is kept through the same writer, as the same job data, with its reason code.
        deadLetter: (m, failure, id) => writer.deadLetter(received(m, id), failure),
      };
      return {
        id: t.id,
        path: t.config.receiver.path,
        allowedSubjects: t.config.receiver.allowedSubjects,
        intake: new PushIntake({
          tenant: t.id,
          sinks,
          checker,
          storeTimeoutMs: r.storeTimeoutMs,
          log: tenantLog,
        }),
      };
    }),
  );
  const server = new ReceiverServer({
    tls,
    host: r.host,
    port: r.port,
    tenants: pushTenants,
    refusals: new PushRefusals({
      logged: multi,
      log,
      count: (reason) => metrics.receiverPushesRefused.inc({ reason }),
    }),
    maxBytes: shared.besked.maxBytes,
    maxInFlight: r.maxInFlight,
    headersTimeoutMs: r.headersTimeoutMs,
    requestTimeoutMs: r.requestTimeoutMs,
    keepAliveTimeoutMs: r.keepAliveTimeoutMs,
    handshakeTimeoutMs: r.handshakeTimeoutMs,
    maxConnections: r.maxConnections,
    maxHandshakes: r.maxHandshakes,
    log,
    onAnswer: (a, seconds, tenant) => {
      const t = tenant ?? NO_TENANT;
      metrics.receiverAnswers.inc({
        tenant: t,
        http_status: String(a.http),
        status_kode: String(a.statusKode),
      });
      metrics.receiverAnswerTime.observe({ tenant: t, http_status: String(a.http) }, seconds);
    },
    onRefused: (reason) => metrics.receiverConnectionsRefused.inc({ reason }),
  });
  const close = async (): Promise<void> => {
    await checker.close();
    for (const w of writers) await w.close();
    redis.disconnect();
  };
  try {
    await server.listen();
  } catch (err) {
    await close();
    throw err;
  }
  metrics.upstreamUp.set({ channel: 'push' }, 1);
  // /readyz: the listener is up (else we would not be here) and the inbox's Redis is connected.
  const removeCheck = addReadinessCheck('receiver', async () =>
    redis.status === 'ready' ? { ready: true } : { ready: false, reason: `redis connection ${redis.status}` },
  );
  const urls = new Map(pushTenants.all.map((t) => [t.id, server.urlOf(t.path)]));
  const url = server.urlOf(pushTenants.all[0]!.path);
  if (multi) {
    const paths = pushTenants.all.map((t) => ({
      tenant: t.id,
      path: t.path,
      allowedSubjects: t.allowedSubjects.length,
    }));
    log.info({ url, tenants: paths }, 'receiver listening');
  } else {
    log.info({ url, allowedSubjects: r.allowedSubjects.length }, 'receiver listening');
  }

  return {
    url,
    port: server.port,
    urls,
    async stop() {
      removeCheck();
      await server.stop(r.stopGraceMs);
      metrics.upstreamUp.set({ channel: 'push' }, 0);
      await close();
    },
  };
}
