import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Queue } from 'bullmq';
import express from 'express';
import {
  createAuditLog,
  createDeadQueue,
  createInboxQueue,
  createRedis,
  partitionPipelines,
  partitionStreams,
} from '@cprh/pipeline';
import { createLogger, type Logger } from '@cprh/runtime';
import { basicAuth } from './basic-auth';
import type { BoardConfig } from './board-sections';
import { hostForUrl, isLoopbackHost } from './bind-address';
import { BoardError } from './board-error';
import { bullBoardRouter } from './bull-board-router';
import { createQueueMetrics } from './queue-metrics';
import { boardReadiness } from './board-readiness';
import { webhooksView } from './webhooks-view';
import { SINGLE_TENANT_LABEL, TENANT_DELIMITER, type BoardTenant } from './board-tenant';

/** What the board says of the dead queue, which no worker reads. */
const DEAD_QUEUE_DESCRIPTION =
  'Dead letters, no worker reads this queue: replay or purge them with `cprh dlq`';
import { unmaskedViewAudit } from './unmasked-view-audit';

export interface RunningBoard {
  /** Base URL of the board, e.g. `http://127.0.0.1:3000/`. */
  readonly url: string;
  close(): Promise<void>;
}

export interface BoardOptions {
  readonly logger?: Logger;
  /** How long /readyz and /metrics wait for Redis. */
  readonly redisTimeoutMs?: number;
  /**
   * The municipalities of TENANTS_FILE: each one's queues are shown as a group of its own
   * (`aarhus.inbox`, `aarhus.dead`), its queue metrics carry its id as `tenant`, and /webhooks
   * lists its endpoints under it. Unset: the one pipeline of `config`, as without tenants.
   */
  readonly tenants?: readonly BoardTenant[];
}

/**
 * Starts the ops process: Bull Board for the inbox and dead-letter queues at `/`,
 * `/metrics` (Prometheus), `/healthz` and `/readyz`. Only the health probes skip authentication.
 * Refuses to listen on a non-loopback address without credentials.
 */
export async function startBoard(config: BoardConfig, opts: BoardOptions = {}): Promise<RunningBoard> {
  const { board, pipeline } = config;
  const log = opts.logger ?? createLogger('board', config.log.level);
  const timeoutMs = opts.redisTimeoutMs ?? 2000;

  if (!board.credentials && !isLoopbackHost(board.host)) {
    throw new BoardError(
      'BOARD_UNPROTECTED_BIND',
      `Refusing to serve the board on ${board.host} without BOARD_USER and BOARD_PASSWORD (or set BOARD_HOST=127.0.0.1)`,
    );
  }

  // One connection for every read. No offline queue and a command timeout, so a Redis outage
  // turns into a quick 503 or `cprh_redis_up 0` instead of requests piling up.
  const redis = createRedis(config.redis, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 5000,
    connectTimeout: 5000,
    // ioredis keeps a timer this long after disconnect() when the socket never opened.
    disconnectTimeout: 500,
  });
  let lastRedisError = '';
  redis.on('error', (err: Error) => {
    // Reconnects repeat the same error; log each new one once.
    if (err.message !== lastRedisError) log.warn({ err: err.message }, 'redis connection error');
    lastRedisError = err.message;
  });
  redis.on('ready', () => {
    if (lastRedisError) log.info('redis connection back');
    lastRedisError = '';
  });

  const tenants = opts.tenants ?? [{ id: SINGLE_TENANT_LABEL, name: undefined, pipeline }];
  const grouped = opts.tenants !== undefined;
  const namePrefix = new Map<Queue, string>();
  const scopes = tenants.map((tenant) => {
    // Every partition's inbox and dead queue (PARTITIONS > 1: shown as `p<n>-inbox`, `p<n>-dead`),
    // with tenants in the tenant's group (`aarhus.inbox`, `aarhus.p1-dead`).
    const parts = partitionPipelines(tenant.pipeline);
    const inbox = parts.map((p) => createInboxQueue(redis, p.pipeline));
    const dead = parts.map((p) => createDeadQueue(redis, p.pipeline));
    for (const q of [...inbox, ...dead]) q.on('error', () => undefined); // already logged by the connection
    parts.forEach((p, i) => {
      const prefix = `${grouped ? `${tenant.id}${TENANT_DELIMITER}` : ''}${parts.length === 1 ? '' : `p${p.partition}-`}`;
      if (prefix !== '') for (const q of [inbox[i]!, dead[i]!]) namePrefix.set(q, prefix);
    });
    const tp = tenant.pipeline;
    const streams = [...new Set([tp.eventsStream, ...tp.routes.map((r) => r.stream)])].flatMap((s) =>
      partitionStreams(tp, s),
    );
    return { tenant, parts, inbox, dead, streams };
  });
  const inbox = scopes.flatMap((s) => s.inbox);
  const dead = scopes.flatMap((s) => s.dead);

  const readiness = () =>
    boardReadiness(
      redis,
      scopes.flatMap((s) => s.parts.map((p) => p.pipeline)),
      config.metrics.readyStallSeconds,
      timeoutMs,
    );
  const metrics = createQueueMetrics({
    redis,
    tenants: scopes.map((s) => ({ id: s.tenant.id, inbox: s.inbox, dead: s.dead, streams: s.streams })),
    timeoutMs,
    readiness,
  });

  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const r = await readiness();
    if (r.ready) res.json({ status: 'ready' });
    else res.status(503).json({ status: 'unavailable', reason: r.reason });
  });
  if (board.credentials) app.use(basicAuth(board.credentials));
  app.get('/metrics', async (_req, res) => {
    await metrics.refresh();
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.get(
    '/webhooks',
    webhooksView(
      redis,
      scopes.map((s) => ({
        id: grouped ? s.tenant.id : undefined,
        name: s.tenant.name,
        queuePrefix: s.tenant.pipeline.queuePrefix,
      })),
    ),
  );
  app.use(
    '/',
    bullBoardRouter([...inbox, ...dead], {
      basePath: '/',
      readOnly: !board.readWrite,
      showCpr: board.showCpr,
      unconsumed: new Map(dead.map((q) => [q, DEAD_QUEUE_DESCRIPTION])),
      namePrefix,
      ...(grouped ? { delimiter: TENANT_DELIMITER } : {}),
      ...(board.showCpr ? { audit: unmaskedViewAudit(createAuditLog(config.log.auditFile)) } : {}),
    }),
  );

  const server: Server = createServer(app);
  try {
    server.listen(board.port, board.host);
    await once(server, 'listening');
  } catch (err) {
    redis.disconnect();
    const reason = err instanceof Error ? err.message : String(err);
    throw new BoardError(
      'BOARD_LISTEN_FAILED',
      `Board cannot listen on ${board.host}:${board.port}: ${reason}`,
      {
        cause: err,
      },
    );
  }
  if (board.showCpr) {
    log.warn(
      { auditLog: config.log.auditFile ?? 'stderr' },
      'BOARD_SHOW_CPR=true: job data is shown with CPR numbers; every view of a message is written to the audit log',
    );
  }
  const { port } = server.address() as AddressInfo;
  const url = `http://${hostForUrl(board.host)}:${port}/`;
  log.debug({ url, readOnly: !board.readWrite, auth: Boolean(board.credentials) }, 'board listening');

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // A browser tab polling the board keeps a connection busy; do not wait for it for long.
      const force = setTimeout(() => server.closeAllConnections(), 3000);
      await stopped;
      clearTimeout(force);
      await Promise.allSettled([...inbox, ...dead].map((q) => q.close()));
      redis.disconnect();
    })());

  return { url, close };
}
