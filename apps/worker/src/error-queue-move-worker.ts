import { UnrecoverableError, Worker, type Job, type Queue } from 'bullmq';
import type { RedisConnection as Redis } from '@cprh/pipeline';
import type { Config } from '@cprh/config';
import { embeddableHaendelsesbesked } from '@cprh/besked';
import {
  KombitError,
  ServiceStatusError,
  vaerdilisteClientFromConfig,
  type VaerdilisteClient,
} from '@cprh/kombit';
import {
  createDeadQueue,
  createErrorQueueMoves,
  partitionPipelines,
  inboxBytes,
  recordErrorQueueState,
  type DeadLetterData,
  type ErrorQueueMoveJob,
  type ErrorQueueRecord,
} from '@cprh/pipeline';
import { type Logger } from '@cprh/runtime';
import type { WorkerConfig } from './worker-sections';

export interface ErrorQueueMoveWorkerOptions {
  /** A BullMQ worker connection (maxRetriesPerRequest null). */
  readonly connection: Redis;
  readonly pipeline: Config['pipeline'];
  readonly dead: Queue<DeadLetterData>;
  /** PARTITIONS > 1: every partition's dead queue; a request names a letter in any of them. */
  readonly partitionDead?: readonly Queue<DeadLetterData>[];
  readonly client: Pick<VaerdilisteClient, 'flytBeskedTilFejlkoe'>;
  readonly maxBytes: number;
  readonly log: Logger;
}

/** A StatusKode 40-49 is the service refusing this message: trying again gives the same answer. */
function isPermanent(err: unknown): boolean {
  return err instanceof ServiceStatusError && err.statusKode >= 40 && err.statusKode < 50;
}

async function moveOne(o: ErrorQueueMoveWorkerOptions, job: Job<ErrorQueueMoveJob>): Promise<string> {
  const id = job.data.deadLetterId;
  let dead = o.dead;
  let letter = await dead.getJob(id);
  for (const q of o.partitionDead ?? []) {
    if (letter) break;
    dead = q;
    letter = await q.getJob(id);
  }
  if (!letter) return 'gone'; // replayed or purged meanwhile: nothing to move
  const attempts = job.attemptsMade + 1;
  const record = (r: Omit<ErrorQueueRecord, 'attempts' | 'at'>): Promise<boolean> =>
    recordErrorQueueState(dead, id, { ...r, attempts, at: Date.now() }).catch(() => false);
  const bytes = inboxBytes(letter.data);
  const besked =
    bytes === undefined
      ? { ok: false as const, reason: 'no message bytes' }
      : embeddableHaendelsesbesked(bytes, o.maxBytes);
  if (!besked.ok) {
    await record({
      state: 'skipped',
      code: 'WORKER_NOT_SENDABLE_TO_ERROR_QUEUE',
      message: `cannot be sent: ${besked.reason}`,
    });
    o.log.warn(
      { deadLetterId: id, reason: besked.reason },
      'dead letter not moved to the KOMBIT error queue',
    );
    return 'skipped';
  }
  try {
    await o.client.flytBeskedTilFejlkoe(besked.xml);
  } catch (err) {
    const code = err instanceof KombitError ? err.code : 'KOMBIT_SOAP_BAD_RESPONSE';
    const message = err instanceof KombitError ? err.message : 'unexpected failure';
    const last = isPermanent(err) || attempts >= (job.opts.attempts ?? 1);
    await record({ state: last ? 'failed' : 'pending', code, message });
    o.log.warn(
      { deadLetterId: id, code, attempts, last },
      'moving a dead letter to the KOMBIT error queue failed',
    );
    if (isPermanent(err)) throw new UnrecoverableError(message);
    throw new Error(message); // retried with backoff; a fresh error so nothing of the request rides along
  }
  await record({ state: 'moved' });
  o.log.info({ deadLetterId: id, attempts }, 'dead letter moved to the KOMBIT error queue');
  return 'moved';
}

/**
 * Drains the move requests (one at a time: they are rare) in the worker process. Each job is
 * retried with backoff on its own; nothing here touches the inbox.
 */
export function startErrorQueueMoveWorker(o: ErrorQueueMoveWorkerOptions): Worker<ErrorQueueMoveJob, string> {
  const worker = new Worker<ErrorQueueMoveJob, string>(
    o.pipeline.errorQueueMovesQueue,
    (job) => moveOne(o, job),
    {
      connection: o.connection,
      prefix: o.pipeline.queuePrefix,
      concurrency: 1,
    },
  );
  worker.on('error', (err) => o.log.warn({ err: err.message }, 'error queue move worker error'));
  return worker;
}

/** The move queue (for recordDeadLetter) and how to stop its mover. */
export interface ErrorQueueMoves {
  readonly moves: Queue<ErrorQueueMoveJob>;
  stop(): Promise<void>;
}

/**
 * KOMBIT_MOVE_DEAD_TO_ERROR_QUEUE: the function certificate and client are checked at start (a
 * missing certificate stops the worker with one line), then the mover drains the move queue.
 * Undefined when the option is off.
 */
export async function startErrorQueueMoves(
  config: WorkerConfig,
  connections: { redis: Redis; workerRedis: Redis },
  dead: Queue<DeadLetterData>,
  log: Logger,
): Promise<ErrorQueueMoves | undefined> {
  const settings = config.beskedfordelerService.errorQueue;
  if (!settings.enabled) return undefined;
  const client = await vaerdilisteClientFromConfig(config, { log });
  const moves = createErrorQueueMoves(connections.redis, config.pipeline, settings);
  moves.on('error', (err) => log.debug({ err: err.message }, 'error queue moves error'));
  // Any worker process may take a request, whatever partitions it serves: it looks in all of them.
  const partitionDead =
    config.pipeline.partitions > 1
      ? partitionPipelines(config.pipeline).map((p) => createDeadQueue(connections.redis, p.pipeline))
      : [];
  for (const q of partitionDead) q.on('error', (err) => log.debug({ err: err.message }, 'dead queue error'));
  const mover = startErrorQueueMoveWorker({
    connection: connections.workerRedis,
    pipeline: config.pipeline,
    dead,
    partitionDead,
    client,
    maxBytes: config.besked.maxBytes,
    log,
  });
  await mover.waitUntilReady();
  log.info({ endpoint: client.endpoint }, 'dead letters of pulled messages go to the KOMBIT error queue');
  return {
    moves,
    async stop() {
      await mover.close();
      await Promise.all(partitionDead.map((q) => q.close().catch(() => undefined)));
      await moves.close().catch(() => undefined);
      client.close();
    },
  };
}
