import {
  checkRedis,
  createProducerRedis,
  eventSources,
  PartitionedInboxWriter,
  logRedisErrors,
  type InboxId,
  type ReceivedMessage,
} from '@cprh/pipeline';
import { addReadinessCheck, metrics, type Logger, type RunningService } from '@cprh/runtime';
import { BodyChecker } from './body-checker';
import { InboxBatcher } from './inbox-batcher';
import { PushIntake } from './push-intake';
import type { PushedMessage, PushSinks } from './pushed-message';
import type { ReceiverConfig } from './receiver-sections';
import { loadReceiverTls } from './receiver-tls';
import { ReceiverServer } from './receiver-server';

/** The running receiver: its URL (the port really bound) and a graceful stop. */
export interface RunningReceiver extends RunningService {
  readonly url: string;
  readonly port: number;
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

/**
 * Starts the push receiver: reads its TLS files, checks Redis (reachable, noeviction), then serves
 * ModtagBesked. Messages go into the inbox through the same InboxWriter the poller uses.
 * Rejects with a one-line error when a file is wrong, Redis is unreachable or the port is taken.
 */
export async function startReceiver(config: ReceiverConfig, log: Logger): Promise<RunningReceiver> {
  const r = config.receiver;
  const tls = loadReceiverTls(r.tls);
  await checkRedis(config.redis, log, config.pipeline);

  const redis = createProducerRedis(config.redis, 'cprh-receiver');
  logRedisErrors(redis, log, 'receiver');
  await redis.connect();
  const writer = new PartitionedInboxWriter(redis, config.pipeline, config.redis, log);

  const batcher = new InboxBatcher(writer);
  const sinks: PushSinks = {
    store: (m, id) => batcher.store(received(m, id)),
    // A refused body is kept through the same writer, as the same job data, with its reason code.
    deadLetter: (m, failure, id) => writer.deadLetter(received(m, id), failure),
  };
  const checker = new BodyChecker(config.besked.maxBytes, log);
  const server = new ReceiverServer({
    tls,
    host: r.host,
    port: r.port,
    path: r.path,
    maxBytes: config.besked.maxBytes,
    maxInFlight: r.maxInFlight,
    headersTimeoutMs: r.headersTimeoutMs,
    requestTimeoutMs: r.requestTimeoutMs,
    keepAliveTimeoutMs: r.keepAliveTimeoutMs,
    handshakeTimeoutMs: r.handshakeTimeoutMs,
    maxConnections: r.maxConnections,
    maxHandshakes: r.maxHandshakes,
    allowedSubjects: r.allowedSubjects,
    intake: new PushIntake({
      sinks,
      checker,
      storeTimeoutMs: r.storeTimeoutMs,
      log,
    }),
    log,
    onAnswer: (a, seconds) => {
      metrics.receiverAnswers.inc({ http_status: String(a.http), status_kode: String(a.statusKode) });
      metrics.receiverAnswerTime.observe({ http_status: String(a.http) }, seconds);
    },
    onRefused: (reason) => metrics.receiverConnectionsRefused.inc({ reason }),
  });
  const close = async (): Promise<void> => {
    await checker.close();
    await writer.close();
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
  log.info({ url: server.url, allowedSubjects: r.allowedSubjects.length }, 'receiver listening');

  return {
    url: server.url,
    port: server.port,
    async stop() {
      removeCheck();
      await server.stop(r.stopGraceMs);
      metrics.upstreamUp.set({ channel: 'push' }, 0);
      await close();
    },
  };
}
