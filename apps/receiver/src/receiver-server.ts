import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { modtagBeskedOutput } from '@cprh/kombit';
import { oneLine } from '@cprh/pipeline';
import { type Logger } from '@cprh/runtime';
import { clientIdentity, type ClientIdentity } from './client-allowlist';
import { INLINE_CHECK_MAX_BYTES } from './body-checker';
import { HandshakeGuard, type RefusedReason } from './handshake-guard';
import { LargeBodyGate } from './large-body-gate';
import { answers, type PushAnswer } from './push-answer';
import type { PushRefusals } from './push-refusals';
import { PushTenants, type PushTenant } from './push-tenants';
import { readBody } from './read-body';
import { ReceiverError } from './receiver-error';
import type { ReceiverTlsMaterial } from './receiver-tls';

export interface ReceiverServerOptions {
  tls: ReceiverTlsMaterial;
  host: string;
  port: number;
  /** Who is pushed to: each tenant's path, its allowed client certificates and its intake. */
  tenants: PushTenants;
  /** Pushes refused for their tenant (unknown path, certificate not allowed): counted and logged. */
  refusals: PushRefusals;
  maxBytes: number;
  maxInFlight: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  /** From TCP accept to a finished TLS handshake. */
  handshakeTimeoutMs: number;
  /** Open connections at once (net.Server maxConnections: beyond it closed on accept). */
  maxConnections: number;
  /** TLS handshakes in progress at once. */
  maxHandshakes: number;
  log: Logger;
  /** Called once per answer sent, with the tenant (undefined: no tenant has the path) and the time from request to answer. */
  onAnswer?: (answer: PushAnswer, seconds: number, tenant: string | undefined) => void;
  /** Called for each connection closed before it had a TLS session. */
  onRefused?: (reason: RefusedReason) => void;
}

const XML_TYPES = new Set(['application/xml', 'text/xml']);

/** Requests with a large body (over INLINE_CHECK_MAX_BYTES, or chunked) read at once / waiting. */
export const LARGE_BODY_SLOTS = 1;
export const LARGE_BODY_MAX_WAITING = 16;

function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/**
 * The HTTPS endpoint: mutual TLS (clients must present a certificate of RECEIVER_CLIENT_CA_FILE,
 * else the handshake fails), one path per tenant (a tenant's own RECEIVER_ALLOWED_SUBJECTS checked
 * once the path named it), POST of XML only, bodies up to BESKED_MAX_BYTES, at most
 * RECEIVER_MAX_IN_FLIGHT requests at once, large bodies one at a time (LargeBodyGate). Before
 * TLS: a handshake deadline and caps on handshakes and connections (HandshakeGuard, maxConnections).
 * Keep-alive; stop() lets requests in flight finish.
 */
export class ReceiverServer {
  private readonly server: Server;
  private inFlight = 0;
  private stopping = false;
  private drained: (() => void) | undefined;
  private readonly guard: HandshakeGuard;
  private readonly largeBodies = new LargeBodyGate(LARGE_BODY_SLOTS, LARGE_BODY_MAX_WAITING);
  private readonly refusedLogged = new Set<RefusedReason>();
  /** Each allowed connection's client certificate, read once at the handshake. */
  private readonly clients = new WeakMap<TLSSocket, ClientIdentity>();

  constructor(private readonly o: ReceiverServerOptions) {
    this.server = createServer(
      {
        cert: o.tls.cert,
        key: o.tls.key,
        ca: o.tls.clientCa,
        requestCert: true,
        rejectUnauthorized: true,
        minVersion: 'TLSv1.2',
        headersTimeout: o.headersTimeoutMs,
        requestTimeout: o.requestTimeoutMs,
        keepAliveTimeout: o.keepAliveTimeoutMs,
        // Node's own handshake timer; HandshakeGuard keeps the same deadline and the caps.
        handshakeTimeout: o.handshakeTimeoutMs,
        // How often the two timeouts above are enforced (Node's default is every 30 s).
        connectionsCheckingInterval: Math.min(1000, o.headersTimeoutMs),
      },
      (req, res) => void this.handle(req, res),
    );
    this.server.maxConnections = o.maxConnections;
    this.server.on('drop', () => this.refused('max_connections'));
    this.guard = new HandshakeGuard(this.server, {
      timeoutMs: o.handshakeTimeoutMs,
      maxHandshakes: o.maxHandshakes,
      onRefused: (reason) => this.refused(reason),
    });
    this.server.on('secureConnection', (socket: TLSSocket) => {
      // Read once per connection: getPeerCertificate() builds a new object on every call, which
      // measured ~4% of the receiver's CPU when done per push on keep-alive connections.
      const client = clientIdentity(socket.getPeerCertificate());
      if (o.tenants.admitsAtHandshake(client)) {
        this.clients.set(socket, client);
        return;
      }
      o.log.warn({ subject: client.subject }, 'client certificate not in RECEIVER_ALLOWED_SUBJECTS');
      socket.destroy();
    });
    // A refused client certificate ends here; the TLS alert already told the client.
    this.server.on('tlsClientError', (err) => o.log.debug({ err: oneLine(err) }, 'TLS handshake failed'));
  }

  async listen(): Promise<void> {
    this.server.listen(this.o.port, this.o.host);
    try {
      // once() rejects with the server's 'error' (EADDRINUSE, EACCES) if that comes first.
      await once(this.server, 'listening');
    } catch (err) {
      throw new ReceiverError(
        'RECEIVER_LISTEN_FAILED',
        `cannot listen on ${this.o.host}:${this.o.port}: ${(err as NodeJS.ErrnoException).code ?? oneLine(err)}`,
        { cause: err },
      );
    }
    this.server.on('error', (err) => this.o.log.error({ err: oneLine(err) }, 'receiver server error'));
  }

  /** Once per reason and process a warning (a flood would otherwise flood the log), always the metric. */
  private clientOf(socket: TLSSocket): ClientIdentity {
    const known = this.clients.get(socket);
    if (known !== undefined) return known;
    return clientIdentity(socket.getPeerCertificate()); // a socket that skipped secureConnection
  }

  private refused(reason: RefusedReason): void {
    this.o.onRefused?.(reason);
    if (this.refusedLogged.has(reason)) return;
    this.refusedLogged.add(reason);
    const why = {
      max_connections: `RECEIVER_MAX_CONNECTIONS (${this.o.maxConnections}) connections are open`,
      max_handshakes: `RECEIVER_MAX_HANDSHAKES (${this.o.maxHandshakes}) TLS handshakes are in progress`,
      handshake_timeout: `its TLS handshake took longer than RECEIVER_HANDSHAKE_TIMEOUT_MS (${this.o.handshakeTimeoutMs} ms)`,
    }[reason];
    this.o.log.warn(
      { reason },
      `closed a new connection: ${why} (logged once; see cprh_receiver_connections_refused_total)`,
    );
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** The URL of `path` on this listener (the address really bound, so port 0 works). */
  urlOf(path: string): string {
    const host = this.o.host.includes(':') ? `[${this.o.host}]` : this.o.host;
    return `https://${host === '0.0.0.0' ? '127.0.0.1' : host}:${this.port}${path}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    this.inFlight++;
    let answer: PushAnswer;
    let tenant: PushTenant | undefined;
    try {
      tenant = this.o.tenants.at((req.url ?? '').split('?')[0] ?? '');
      answer = await this.decide(req, tenant);
    } catch (err) {
      // The client went away mid-body, or a bug: nothing was stored, so 503 is the honest answer.
      this.o.log.debug({ err: oneLine(err) }, 'request failed');
      answer = answers.unavailable('the request could not be completed', true);
    }
    try {
      this.send(res, answer);
      // Counted until the answer is handed to the socket, so stop() never cuts one off.
      await finished(res);
    } catch {
      // The client is gone; it sends again.
    } finally {
      this.inFlight--;
      this.o.onAnswer?.(answer, (performance.now() - started) / 1000, tenant?.id);
      if (this.inFlight === 0) this.drained?.();
    }
  }

  private async decide(req: IncomingMessage, tenant: PushTenant | undefined): Promise<PushAnswer> {
    if (this.stopping) return answers.unavailable('the receiver is stopping', true);
    if (tenant === undefined) {
      this.o.refusals.unknownTenant((req.url ?? '').split('?')[0] ?? '');
      return answers.notFound();
    }
    const client = this.clientOf(req.socket as TLSSocket);
    if (!PushTenants.admits(tenant, client)) {
      this.o.refusals.clientNotAllowed(tenant.id, client);
      return answers.forbidden();
    }
    if (req.method !== 'POST') return answers.methodNotAllowed();
    if (!XML_TYPES.has(mediaType(req.headers['content-type']))) return answers.unsupportedType();
    const length = req.headers['content-length'];
    const declared = Number(length ?? 0);
    if (declared > this.o.maxBytes) return answers.tooLarge(this.o.maxBytes);
    if (this.inFlight > this.o.maxInFlight) return answers.unavailable('too many requests in flight');
    let release: (() => void) | undefined;
    if (length === undefined || declared > INLINE_CHECK_MAX_BYTES) {
      const slot = await this.largeBodies.enter(req);
      if (slot === 'gone') throw new Error('the client left while its large body waited');
      if (slot === 'full') {
        return answers.unavailable('too many large messages at once; send the message again later', true);
      }
      release = slot;
    }
    try {
      const body = await readBody(req, this.o.maxBytes);
      if (body === 'too-large') return answers.tooLarge(this.o.maxBytes);
      return await tenant.intake.take({
        body,
        receivedAt: Date.now(),
        certSubject: client.subject,
        certFingerprint256: client.fingerprint256,
      });
    } finally {
      release?.();
    }
  }

  private send(res: ServerResponse, a: PushAnswer): void {
    if (res.headersSent || res.destroyed) return;
    const body = modtagBeskedOutput(a.statusKode, a.text);
    res.statusCode = a.http;
    res.setHeader('content-type', 'application/xml; charset=utf-8');
    res.setHeader('content-length', Buffer.byteLength(body));
    for (const [k, v] of Object.entries(a.headers ?? {})) res.setHeader(k, v);
    if (a.close || this.stopping) res.setHeader('connection', 'close');
    res.end(body);
  }

  /**
   * Graceful stop: no new connections, idle keep-alive connections closed, requests in flight
   * answered (then their connections close); after `graceMs` whatever is left is cut.
   */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    this.guard.closeAll();
    if (this.inFlight > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => (this.drained = resolve)),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs))),
      ]);
      clearTimeout(timer);
    }
    this.server.closeAllConnections();
    await closed;
  }
}
