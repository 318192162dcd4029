import {
  checkRedis,
  createDeadQueue,
  createProducerRedis,
  eventSources,
  inboxJobId,
  PartitionedInboxWriter,
  partitionOf,
  partitionPipelines,
  logRedisErrors,
  type ReceivedMessage,
} from '@cprh/pipeline';
import { addReadinessCheck, metrics, type Logger, type RunningService } from '@cprh/runtime';
import { BodyChecker } from './body-checker';
import { InboxBatcher } from './inbox-batcher';
import { PushIntake } from './push-intake';
import type { PushedMessage, PushSinks } from './pushed-message';
import { recordPushDeadLetter } from './push-dead-letter';
import type { ReceiverConfig } from './receiver-sections';
import { loadReceiverTls } from './receiver-tls';
import { ReceiverServer } from './receiver-server';

/** The running receiver: its URL (the port really bound) and a graceful stop. */
export interface RunningReceiver extends RunningService {
  readonly url: string;
  readonly port: number;
}

function received(m: PushedMessage, jobId: string): ReceivedMessage {
  return {
    body: m.body,
    source: eventSources.push,
    receivedAt: m.receivedAt,
    channel: { kind: 'push', certSubject: m.certSubject, certFingerprint256: m.certFingerprint256 },
    jobId,
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
  // A refused body is dead-lettered in its person's partition, like its stored siblings.
  const parts = partitionPipelines(config.pipeline).map((p) => {
    const dead = createDeadQueue(redis, p.pipeline);
    dead.on('error', (err) => log.debug({ err: err.message }, 'dead queue error'));
    return { dead, seqKey: p.pipeline.seqKey };
  });

  const batcher = new InboxBatcher(writer);
  const sinks: PushSinks = {
    store: (m, jobId) => batcher.store(received(m, jobId)),
    deadLetter: (m, failure, jobId) => {
      const part = parts[partitionOf(inboxJobId(m.body).person, parts.length)]!;
      return recordPushDeadLetter(
        redis,
        part.dead,
        part.seqKey,
        received(m, jobId),
        failure,
        jobId,
        config.redis,
      );
    },
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
    await Promise.all(parts.map((p) => p.dead.close().catch(() => undefined)));
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
