import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '@cprh/config';
import { RuntimeError } from './runtime-error';
import { metrics, metricsRegistry } from './process-metrics';
import { evaluateReadiness } from './readiness-checks';

export interface MetricsServer {
  /** e.g. `http://127.0.0.1:9464/` */
  readonly url: string;
  close(): Promise<void>;
}

const READY_TIMEOUT_MS = 2000;

/**
 * The process's own endpoint: `/metrics` (this process's registry), `/healthz` (200 while it
 * runs) and `/readyz` (200, or 503 with the failing checks' reasons). Started once per process on
 * METRICS_PORT; no credentials, as nothing here names a person or a message.
 */
export async function startMetricsServer(settings: Config['metrics']): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
    } else if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    } else if (path === '/readyz') {
      void evaluateReadiness(READY_TIMEOUT_MS).then((r) => {
        metrics.ready.set(r.ready ? 1 : 0);
        // A check's detail goes under its name: `{"status":"ready","poller":{"tenants":{…}}}`.
        const verdict = r.ready ? { status: 'ready' } : { status: 'unavailable', reason: r.reason };
        const body = { ...verdict, ...r.details };
        res.writeHead(r.ready ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      });
    } else if (path === '/metrics') {
      void scrape().then(
        (text) => res.writeHead(200, { 'content-type': metricsRegistry.contentType }).end(text),
        () => res.writeHead(500).end(),
      );
    } else {
      res.writeHead(404).end();
    }
  });
  try {
    server.listen(settings.port, settings.host);
    await once(server, 'listening');
  } catch (err) {
    throw new RuntimeError(
      'RUNTIME_METRICS_LISTEN',
      `metrics endpoint cannot listen on ${settings.host}:${String(settings.port)}: ${(err as Error).message}`,
      { cause: err },
    );
  }
  const { port } = server.address() as AddressInfo;
  const host = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  return {
    url: `http://${host}:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Readiness is part of the scrape, so `cprh_ready` is current for the alert. */
async function scrape(): Promise<string> {
  const r = await evaluateReadiness(READY_TIMEOUT_MS);
  metrics.ready.set(r.ready ? 1 : 0);
  return metricsRegistry.metrics();
}
