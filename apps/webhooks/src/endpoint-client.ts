import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Agent, request } from 'undici';
import type { WebhookEndpoint } from '@cprh/config';
import { retryAfterMs } from './retry-after';
import type { WebhookRequest } from './cloud-event-request';
import { WebhooksError } from './webhooks-error';

/** The outcome of one POST. */
export interface AttemptResult {
  /** HTTP status, or undefined when there was no answer (connection error, timeout). */
  readonly status: number | undefined;
  /** Short reason for the log and the dead letter: `HTTP 503`, `timeout after 10000 ms`, `ECONNREFUSED`. */
  readonly error: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly seconds: number;
}

function readTlsFile(endpoint: string, setting: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new WebhooksError(
      'WEBHOOKS_TLS_FILE_INVALID',
      `endpoint ${endpoint}: ${setting} ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
      { cause: err },
    );
  }
}

/** What went wrong, in a few words that hold no payload (undici's codes, Node's errno). */
function reason(err: unknown, timedOut: boolean, timeoutMs: number): string {
  if (timedOut) return `timeout after ${timeoutMs} ms`;
  // Duck-typed: errors from Node's internals need not be instances of this realm's Error.
  let e = err as { code?: unknown; cause?: unknown; message?: unknown } | null;
  for (let i = 0; i < 4 && typeof e === 'object' && e !== null; i++) {
    if (typeof e.code === 'string' && e.code !== 'UND_ERR_SOCKET') return e.code;
    e = e.cause as typeof e;
  }
  const message = (err as { message?: unknown } | null)?.message;
  return typeof message === 'string' && message !== '' ? message.slice(0, 120) : 'request failed';
}

/**
 * One endpoint's HTTP client: an undici Agent of its own (keep-alive, at most `concurrency`
 * connections, the endpoint's CA and client certificate), so a slow endpoint never occupies
 * another's sockets.
 */
export class EndpointClient {
  private readonly agent: Agent;

  constructor(private readonly endpoint: WebhookEndpoint) {
    const connect: Record<string, unknown> = {};
    if (endpoint.caFile !== undefined) {
      // Added to the system's CAs, like CA_FILE elsewhere.
      connect.ca = [
        ...rootCertificates,
        readTlsFile(endpoint.id, 'caFile', endpoint.caFile).toString('utf8'),
      ];
    }
    if (endpoint.clientCertP12File !== undefined) {
      connect.pfx = readTlsFile(endpoint.id, 'clientCertP12File', endpoint.clientCertP12File);
      if (endpoint.clientCertP12Password !== undefined) connect.passphrase = endpoint.clientCertP12Password;
    }
    this.agent = new Agent({
      connections: endpoint.concurrency,
      headersTimeout: endpoint.timeoutMs,
      bodyTimeout: endpoint.timeoutMs,
      connect,
    });
  }

  async send(req: WebhookRequest): Promise<AttemptResult> {
    const started = performance.now();
    const timeoutMs = this.endpoint.timeoutMs;
    const abort = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, timeoutMs);
    try {
      const res = await request(this.endpoint.url, {
        method: 'POST',
        headers: { ...req.headers, 'user-agent': 'cpr-haendelser-webhooks' },
        body: req.body,
        dispatcher: this.agent,
        signal: abort.signal,
      });
      // The answer's body is not kept (it may echo data); read it so the connection is reused.
      await res.body.dump({ limit: 65536 }).catch(() => undefined);
      const ok = res.statusCode >= 200 && res.statusCode < 300;
      return {
        status: res.statusCode,
        error: ok ? undefined : `HTTP ${res.statusCode}`,
        retryAfterMs:
          res.statusCode === 429 || res.statusCode === 503
            ? retryAfterMs(res.headers['retry-after'])
            : undefined,
        seconds: (performance.now() - started) / 1000,
      };
    } catch (err) {
      return {
        status: undefined,
        error: reason(err, timedOut, timeoutMs),
        retryAfterMs: undefined,
        seconds: (performance.now() - started) / 1000,
      };
    } finally {
      clearTimeout(timer);
    }
  }

  close(): Promise<void> {
    return this.agent.destroy().catch(() => undefined);
  }
}
