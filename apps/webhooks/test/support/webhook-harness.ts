import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { loadConfig } from '@cprh/config';
import { createLogger, type RunningService } from '@cprh/runtime';
import { deleteKeysWithPrefix, TEST_REDIS_URL, uniqueName } from '@cprh/testkit';
import { startWebhooks, WEBHOOKS_SECTIONS } from '../../src';

/** A fresh `whsec_` secret (32 random bytes). */
export function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** One request as the test server saw it. */
export interface Hit {
  readonly at: number;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  readonly id: string;
  /** The status the handler answered. */
  status: number;
}

export type Answer = { status: number; headers?: Record<string, string>; delayMs?: number } | 'hang';

/** A real HTTP(S) server whose answer per request is chosen by the test. */
export interface TestServer {
  readonly url: string;
  readonly hits: Hit[];
  answer: (hit: Hit, nth: number) => Answer;
  /** Hits that were answered 2xx, in the order the answers were sent. */
  delivered(): Hit[];
  close(): Promise<void>;
}

export async function startTestServer(tls?: { cert: string; key: string; ca?: string }): Promise<TestServer> {
  const hits: Hit[] = [];
  const counts = new Map<string, number>();
  const ok: Hit[] = [];
  const hanging = new Set<ServerResponse>();
  const server: TestServer = {
    url: '',
    hits,
    answer: () => ({ status: 204 }),
    delivered: () => ok,
    close: async () => undefined,
  };
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const id = String(req.headers['webhook-id'] ?? '');
      const hit: Hit = {
        at: Date.now(),
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
        id,
        status: 0,
      };
      hits.push(hit);
      const nth = (counts.get(id) ?? 0) + 1;
      counts.set(id, nth);
      const a = server.answer(hit, nth);
      if (a === 'hang') {
        hanging.add(res);
        return;
      }
      const send = (): void => {
        hit.status = a.status;
        if (a.status >= 200 && a.status < 300) ok.push(hit);
        res.writeHead(a.status, a.headers ?? {}).end();
      };
      if (a.delayMs) setTimeout(send, a.delayMs);
      else send();
    });
  };
  const http = tls
    ? createHttpsServer(
        // With `ca`, only clients holding a certificate of that CA get through (mutual TLS).
        {
          cert: tls.cert,
          key: tls.key,
          ...(tls.ca ? { ca: tls.ca, requestCert: true, rejectUnauthorized: true } : {}),
        },
        handler,
      )
    : createHttpServer(handler);
  http.keepAliveTimeout = 60_000;
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const { port } = http.address() as AddressInfo;
  return Object.assign(server, {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}/hook`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const r of hanging) r.destroy();
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  });
}

/** A person's CloudEvent as the worker writes it. */
export function personEvent(
  cpr: string | null,
  type = 'dk.kombit.cpr.personhaendelse',
): Record<string, unknown> {
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: 'urn:kombit:beskedfordeler:push',
    type,
    datacontenttype: 'application/json',
    time: new Date().toISOString(),
    data: {
      registreringer: cpr === null ? [] : [{ cpr, handling: 'x', haendelse: 'flytning' }],
      beskeddata: [],
    },
  };
}

export interface WebhookTestEnv {
  readonly prefix: string;
  readonly stream: string;
  readonly redis: Redis;
  readonly env: Record<string, string>;
  readonly dir: string;
  /** Writes WEBHOOKS_FILE with these endpoints (stream defaults to the test's stream). */
  writeEndpoints(endpoints: Record<string, unknown>[]): string;
  /** XADDs the event as the worker does; resolves with its entry id. */
  add(event: Record<string, unknown>): Promise<string>;
  /** Starts the delivery process in this test process. */
  start(extraEnv?: Record<string, string>): Promise<RunningService>;
  cleanup(): Promise<void>;
}

export async function webhookTestEnv(): Promise<WebhookTestEnv> {
  const prefix = uniqueName('twh');
  const stream = `${prefix}:events`;
  const dir = mkdtempSync(join(tmpdir(), 'cprh-webhooks-'));
  const file = join(dir, 'webhooks.json');
  const redis = new Redis(TEST_REDIS_URL);
  const running: RunningService[] = [];
  let seq = 0;
  const env: Record<string, string> = {
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    EVENTS_STREAM: stream,
    WEBHOOKS_FILE: file,
    WEBHOOKS_POLL_MS: '50',
    WEBHOOKS_INTAKE_LEASE_MS: '1500',
    LOG_LEVEL: 'error',
  };
  return {
    prefix,
    stream,
    redis,
    env,
    dir,
    writeEndpoints(endpoints) {
      writeFileSync(file, JSON.stringify({ endpoints: endpoints.map((e) => ({ from: 'all', ...e })) }));
      return file;
    },
    async add(event) {
      seq += 1;
      return (await redis.xadd(
        stream,
        '*',
        'event',
        JSON.stringify(event),
        'id',
        String(event.id),
        'type',
        String(event.type),
        'seq',
        String(seq),
      )) as string;
    },
    async start(extraEnv = {}) {
      const config = loadConfig(WEBHOOKS_SECTIONS, { ...env, ...extraEnv });
      const service = await startWebhooks(config, createLogger('webhooks', env.LOG_LEVEL ?? 'error'));
      running.push(service);
      return service;
    },
    async cleanup() {
      for (const s of running.splice(0)) await s.stop().catch(() => undefined);
      await deleteKeysWithPrefix(redis, prefix);
      redis.disconnect();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
