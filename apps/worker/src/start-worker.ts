import type { Processor, Queue, Worker } from 'bullmq';
import type { Config } from '@cprh/config';
import {
  checkRedis,
  createDeadQueue,
  createInboxQueue,
  createProducerRedis,
  createWorkerRedis,
  DeadLetters,
  EventDispatcher,
  JobStripper,
  isStripped,
  strippedJobData,
  startRetention,
  logRedisErrors,
  OrderGate,
  partitionPipelines,
  tenantLabel,
  type DeadLetterData,
  type RedisConnection,
  type InboxJobData,
  type InboxJobResult,
} from '@cprh/pipeline';
import { FaultInjector, type Logger, type RunningService } from '@cprh/runtime';
import { createInboxProcessor } from './inbox-processor';
import { CompletionHandoff } from './completion-handoff';
import { completionSettings, InboxWorker } from './inbox-worker';
import type { WorkerConfig } from './worker-sections';
import { loadCatalogue } from './load-catalogue';
import { deadLetterIfStalled } from './stalled-dead-letter';
import { observeWorker } from './worker-observability';
import type { ErrorQueueMoves } from './error-queue-move-worker';
import { WorkerError } from './worker-error';

/** Bench only: `processor` replaces parse and dispatch (the plumbing limit of `pnpm bench`). */
export interface WorkerOverrides {
  processor?: Processor<InboxJobData, InboxJobResult>;
  /** Called with each inbox Worker created (one per partition): the tenants' fair share. */
  onInboxWorker?: (worker: Worker<InboxJobData, InboxJobResult>) => void;
}

/**
 * Starts the worker: checks Redis (reachable, noeviction), then processes inbox jobs with
 * `WORKER_CONCURRENCY` in parallel. Rejects with a one-line error when Redis is unreachable.
 */
export async function startWorker(
  config: WorkerConfig,
  log: Logger,
  overrides: WorkerOverrides = {},
): Promise<RunningService> {
  const w = config.worker;
  const catalogue = loadCatalogue(config.besked.catalogueFile);
  const served = servedPartitions(config);
  await checkRedis(config.redis, log, config.pipeline);

  // Writes fail fast (job retries with backoff) rather than queueing while Redis is away.
  const redis = createProducerRedis(config.redis, 'cprh-worker');
  logRedisErrors(redis, log, 'worker');
  await redis.connect();
  const workerRedis = createWorkerRedis(config.redis, 'cprh-worker-jobs');
  logRedisErrors(workerRedis, log, 'worker-jobs');

  const first = served[0]!.pipeline;
  const firstDead = createDeadQueue(redis, first);
  firstDead.on('error', (err) => log.debug({ err: err.message }, 'dead queue error'));
  // The KOMBIT error-queue mover finds a dead letter in any partition (startErrorQueueMoves).
  const errorQueue = await errorQueueMoves(config, { redis, workerRedis }, firstDead, log).catch(
    async (err: unknown) => {
      // A start-up failure (no certificate) must not leave connections open behind it.
      await firstDead.close().catch(() => undefined);
      redis.disconnect();
      workerRedis.disconnect();
      throw err;
    },
  );
  const stops: (() => Promise<void>)[] = [];
  for (const [i, part] of served.entries()) {
    stops.push(
      await servePartition(config, part.pipeline, { redis, workerRedis }, log, overrides, {
        catalogue,
        dead: i === 0 ? firstDead : undefined,
        errorQueue,
      }),
    );
  }
  const unobserve = observeWorker(
    redis,
    served.map((p) => p.pipeline),
    config.metrics.readyStallSeconds,
  );
  log.info(
    {
      queue: config.pipeline.inboxQueue,
      concurrency: w.concurrency,
      partitions: served.map((p) => p.partition),
      of: config.pipeline.partitions,
    },
    'worker started',
  );

  return {
    async stop() {
      // Waits for jobs in progress; no new ones are taken.
      unobserve();
      await Promise.all(stops.map((stop) => stop()));
      await errorQueue?.stop();
      redis.disconnect();
      workerRedis.disconnect();
    },
  };
}

/** WORKER_PARTITIONS (or every partition), with each one's names; a number past PARTITIONS is refused. */
function servedPartitions(config: WorkerConfig): ReturnType<typeof partitionPipelines> {
  const only = config.worker.partitions;
  const n = config.pipeline.partitions;
  const wrong = only?.find((p) => p >= n);
  if (wrong !== undefined) {
    throw new WorkerError(
      'WORKER_PARTITIONS_INVALID',
      `WORKER_PARTITIONS names partition ${wrong}, but PARTITIONS=${n} has partitions 0..${n - 1}: fix WORKER_PARTITIONS`,
    );
  }
  return partitionPipelines(config.pipeline, only);
}

/**
 * One partition's share of the worker: its inbox's BullMQ Worker (WORKER_CONCURRENCY), order gate,
 * dispatcher, job stripper and retention, all on that partition's names. Returns its stop.
 */
async function servePartition(
  config: WorkerConfig,
  pipeline: Config['pipeline'],
  conns: { redis: RedisConnection; workerRedis: RedisConnection },
  log: Logger,
  overrides: WorkerOverrides,
  shared: {
    catalogue: ReturnType<typeof loadCatalogue>;
    dead: Queue<DeadLetterData> | undefined;
    errorQueue: ErrorQueueMoves | undefined;
  },
): Promise<() => Promise<void>> {
  const w = config.worker;
  const { redis, workerRedis } = conns;
  const { errorQueue } = shared;
  const inbox = createInboxQueue(redis, pipeline);
  const dead = shared.dead ?? createDeadQueue(redis, pipeline);
  inbox.on('error', (err) => log.debug({ err: err.message }, 'inbox queue error'));
  dead.on('error', (err) => log.debug({ err: err.message }, 'dead queue error'));
  const order = new OrderGate(redis, inbox, pipeline, w.orderStaleSeconds * 1000);
  // Completed jobs stay long enough for the job-id check to drop redeliveries (the dispatch guard
  // catches anything later); failed ones have their copy in the dead-letter queue.
  const finished = {
    lockDuration: w.lockDurationMs,
    removeOnComplete: { age: w.keepCompletedSeconds },
    removeOnFail: { age: w.keepFailedSeconds },
  };
  const handoff = new CompletionHandoff();
  const processor = createInboxProcessor({
    dispatcher: new EventDispatcher(redis, pipeline, completionSettings(inbox, finished)),
    handoff,
    order,
    orderWaitMs: w.orderWaitMs,
    dead,
    faults: new FaultInjector(pipeline.fault),
    catalogue: shared.catalogue,
    maxBytes: config.besked.maxBytes,
    log,
    tenant: tenantLabel(pipeline),
    ...(errorQueue ? { errorQueueMoves: errorQueue.moves } : {}),
  });
  const run = overrides.processor ?? processor;

  // Finished jobs keep metadata only: the message's bytes (CPR numbers) leave Redis once the event
  // is in the stream, or once a failed job's dead letter holds them (README "Retention").
  const stripper = new JobStripper(redis, pipeline);
  const stripOnCompletion = w.keepCompletedBytesSeconds === 0;
  const worker = new InboxWorker(pipeline.inboxQueue, run, {
    connection: workerRedis,
    prefix: pipeline.queuePrefix,
    concurrency: w.concurrency,
    stalledInterval: w.stalledIntervalMs,
    maxStalledCount: w.maxStalledCount,
    ...finished,
    handoff,
    // The bytes go in the call that completes the job (a job completed otherwise: the listener below).
    ...(stripOnCompletion
      ? {
          finishedData: (data: InboxJobData, result: InboxJobResult) =>
            isStripped(data) ? undefined : strippedJobData(data, 'dispatched', result),
          onBytesRemoved: () => stripper.countRemoved('dispatched'),
        }
      : {}),
  });
  worker.on('error', (err) => log.warn({ err: err.message }, 'worker error'));
  overrides.onInboxWorker?.(worker);
  if (stripOnCompletion) {
    worker.on('completed', (job, result) => job.id && stripper.completed(job.id, job.data, result));
  } else if (shared.dead) {
    log.warn(
      { keepCompletedBytesSeconds: w.keepCompletedBytesSeconds },
      'WORKER_KEEP_COMPLETED_BYTES_SECONDS is set: completed inbox jobs keep the whole message, CPR numbers included, in Redis for this long. For debugging only; unset it in production',
    );
  }
  worker.on('failed', (job, err) => {
    deadLetterIfStalled(dead, log, job, err, order, errorQueue?.moves);
    if (job?.id !== undefined && job.finishedOn) stripper.failed(job.id, job.data);
  });
  await worker.waitUntilReady();
  const retention = startRetention({
    redis,
    pipeline,
    deadLetters: new DeadLetters(dead, inbox),
    stripper,
    keepCompletedBytesSeconds: w.keepCompletedBytesSeconds,
    intervalSeconds: w.retentionIntervalSeconds,
    log,
  });
  return async () => {
    // Waits for jobs in progress; no new ones are taken.
    await worker.close();
    await retention.stop();
    await inbox.close().catch(() => undefined);
    await dead.close().catch(() => undefined);
  };
}

/**
 * KOMBIT_MOVE_DEAD_TO_ERROR_QUEUE: the move worker (and with it soap and the KOMBIT client) is loaded
 * only when the option is on, so a worker without it stays small.
 */
async function errorQueueMoves(
  ...args: Parameters<typeof import('./error-queue-move-worker.js').startErrorQueueMoves>
): Promise<ErrorQueueMoves | undefined> {
  if (!args[0].beskedfordelerService.errorQueue.enabled) return undefined;
  // require, not import(): tsx's CommonJS hook compiles it; Node's ESM loader could not.
  type MoveWorker = typeof import('./error-queue-move-worker.js');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startErrorQueueMoves } = require('./error-queue-move-worker') as MoveWorker;
  return startErrorQueueMoves(...args);
}
