import { X509Certificate } from 'node:crypto';
import { connect as tcpConnect, type AddressInfo, type Socket } from 'node:net';
import { createServer, type Server, type TLSSocket } from 'node:tls';
import type { Logger } from 'pino';
import type { CertBundle } from '../certificates';
import {
  connectionClose,
  connectionMethod,
  connectionStart,
  FrameReader,
  METHOD,
  parseStartOk,
  PROTOCOL_HEADER,
  startOkPlain,
  type Frame,
} from './amqp-wire';
import { ChannelGuard } from './channel-guard';
import { DueslagOwners } from './dueslag-owners';
import { verifyToken } from './token-verifier';

export interface FrontOptions {
  readonly host: string;
  readonly port: number;
  readonly certs: CertBundle;
  /** The local RabbitMQ the connections are relayed to (its user and password log in upstream). */
  readonly upstreamUrl: string;
  /** Audience the tokens must carry (bfo_modtag). */
  readonly audience: string;
  /** CVRs the STS issues tokens for besides the certificate's own (a supplier's agreements). */
  readonly agreements?: ReadonlySet<string>;
  /** Dueslag of each tenant's CVR: another CVR's token is refused there (403 ACCESS_REFUSED). */
  readonly owners?: DueslagOwners;
  readonly logger?: Logger;
  readonly now?: () => Date;
}

export interface BeskedfordelerFront {
  readonly port: number;
  /** amqps:// URL of the front with vhost BF. */
  readonly url: string;
  /** Connections currently relayed. */
  readonly open: number;
  close(): Promise<void>;
}

const HANDSHAKE_TIMEOUT_MS = 10_000;

/**
 * Beskedfordeler's AMQP side as KOMBIT runs it: TLS with a required client certificate (dev CA),
 * SASL EXTERNAL only, the response an STS assertion checked like the real broker does; a good one
 * is relayed frame by frame to the local RabbitMQ, and the connection is closed with 320
 * CONNECTION_FORCED when the token expires. A bad one gets 403 ACCESS_REFUSED with the reason.
 */
export async function startBeskedfordelerFront(opts: FrontOptions): Promise<BeskedfordelerFront> {
  const sockets = new Set<Socket>();
  let relayed = 0;
  const server: Server = createServer(
    {
      cert: opts.certs.serverCert,
      key: opts.certs.serverKey,
      ca: opts.certs.ca,
      requestCert: true,
      rejectUnauthorized: true,
    },
    (client) => {
      sockets.add(client);
      client.once('close', () => sockets.delete(client));
      void handshake(client, opts).then((up) => {
        if (up === undefined) return;
        sockets.add(up);
        relayed += 1;
        up.once('close', () => {
          sockets.delete(up);
          relayed -= 1;
        });
      });
    },
  );
  server.on('tlsClientError', (err) =>
    opts.logger?.info({ err: err.message }, 'amqp front: TLS handshake refused'),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `amqps://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}/BF`,
    get open() {
      return relayed;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

/** Reads frames from a socket until `want` says it has what it needs. */
function readUntil<T>(socket: Socket, reader: FrameReader, want: (f: Frame) => T | undefined): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error('AMQP handshake timed out')), HANDSHAKE_TIMEOUT_MS);
    const onData = (chunk: Buffer): void => {
      try {
        for (const f of reader.push(chunk)) {
          const v = want(f);
          if (v !== undefined) return done(undefined, v);
        }
      } catch (err) {
        done(err as Error);
      }
    };
    const onEnd = (): void => done(new Error('connection closed during the AMQP handshake'));
    function done(err: Error | undefined, v?: T): void {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onEnd);
      socket.off('error', onEnd);
      if (err) reject(err);
      else resolve(v as T);
    }
    socket.on('data', onData);
    socket.once('close', onEnd);
    socket.once('error', onEnd);
  });
}

function readHeader(socket: Socket): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length < 8) return;
      socket.off('data', onData);
      socket.pause();
      resolve(buf);
    };
    socket.on('data', onData);
    socket.once('close', () => reject(new Error('closed before the protocol header')));
  });
}

/** The client side: header, start, start-ok, verdict. Resolves the upstream socket once relaying. */
async function handshake(client: TLSSocket, opts: FrontOptions): Promise<Socket | undefined> {
  const log = opts.logger;
  client.on('error', () => undefined);
  try {
    const head = await readHeader(client);
    if (!head.subarray(0, 8).equals(PROTOCOL_HEADER)) {
      client.end(PROTOCOL_HEADER);
      return undefined;
    }
    const reader = new FrameReader();
    reader.push(head.subarray(8));
    client.write(connectionStart('EXTERNAL', 'cprh-sim Beskedfordeler'));
    client.resume();
    const startOk = await readUntil(client, reader, (f) =>
      connectionMethod(f) === METHOD.startOk ? parseStartOk(f) : undefined,
    );
    const peer = new X509Certificate(client.getPeerCertificate(false).raw);
    const verdict =
      startOk.mechanism !== 'EXTERNAL'
        ? { ok: false as const, reason: `mechanism ${startOk.mechanism} is not offered (EXTERNAL only)` }
        : verifyToken(startOk.response.toString('utf8'), peer, {
            stsCert: opts.certs.ca,
            audience: opts.audience,
            ...(opts.agreements ? { agreements: opts.agreements } : {}),
            now: opts.now,
          });
    if (!verdict.ok) {
      log?.info({ reason: verdict.reason }, 'amqp front: login refused');
      client.end(connectionClose(403, `ACCESS_REFUSED - ${verdict.reason}`));
      return undefined;
    }
    client.pause();
    const guard = new ChannelGuard(opts.owners ?? new DueslagOwners(), verdict.cvr, (queue) =>
      log?.info({ cvr: verdict.cvr, queue }, 'amqp front: access to another CVR’s dueslag refused (403)'),
    );
    const up = await relay(client, startOk.clientProperties, reader.rest(), guard, opts);
    const msLeft = verdict.notOnOrAfter.getTime() - (opts.now ?? (() => new Date()))().getTime();
    const timer = setTimeout(() => expire(client, up, log), Math.max(0, msLeft));
    up.once('close', () => clearTimeout(timer));
    client.once('close', () => clearTimeout(timer));
    log?.info({ cvr: verdict.cvr, secondsLeft: Math.round(msLeft / 1000) }, 'amqp front: login accepted');
    return up;
  } catch (err) {
    log?.warn({ err: (err as Error).message }, 'amqp front: connection failed');
    client.destroy();
    return undefined;
  }
}

/**
 * Logs in upstream with PLAIN, then forwards whole frames both ways through the guard (so a close can
 * be injected and another CVR's dueslag refused).
 */
async function relay(
  client: TLSSocket,
  clientProperties: Buffer,
  pending: Buffer,
  guard: ChannelGuard,
  opts: FrontOptions,
): Promise<Socket> {
  const u = new URL(opts.upstreamUrl);
  const up = tcpConnect({ host: u.hostname, port: Number(u.port || 5672) });
  // AMQP is request/response over small frames: no Nagle delay on either leg.
  up.setNoDelay(true);
  client.setNoDelay(true);
  up.on('error', () => client.destroy());
  await new Promise<void>((resolve, reject) => {
    up.once('connect', resolve);
    up.once('error', reject);
  });
  up.write(PROTOCOL_HEADER);
  const upReader = new FrameReader();
  await readUntil(up, upReader, (f) => (connectionMethod(f) === METHOD.start ? true : undefined));
  up.write(
    startOkPlain(
      clientProperties,
      decodeURIComponent(u.username || 'guest'),
      decodeURIComponent(u.password || 'guest'),
    ),
  );
  // From here on the upstream's frames (tune, …) go to the client, the client's to the upstream.
  // One write per direction and batch: a chunk of many small frames (acks, gets) stays one segment.
  const send = (out: { toClient: Buffer[]; toUpstream: Buffer[] }): void => {
    if (out.toClient.length > 0 && !client.destroyed) client.write(joined(out.toClient));
    if (out.toUpstream.length > 0 && !up.destroyed) up.write(joined(out.toUpstream));
  };
  const forward = (frames: Frame[]): void => send(guard.fromUpstream(frames));
  forward(upReader.push(Buffer.alloc(0)));
  const leftover = upReader.rest();
  const downReader = new FrameReader();
  if (leftover.length > 0) forward(downReader.push(leftover));
  up.on('data', (chunk: Buffer) => forward(downReader.push(chunk)));
  const clientReader = new FrameReader();
  const back = (chunk: Buffer): void => {
    try {
      send(guard.fromClient(clientReader.push(chunk)));
    } catch {
      client.destroy(); // not AMQP framing: the broker would drop it too
    }
  };
  if (pending.length > 0) back(pending);
  client.on('data', back);
  client.once('close', () => up.destroy());
  up.once('close', () => client.end());
  client.resume();
  return up;
}

/** Token expired: like the real broker, close the client's connection with 320 CONNECTION_FORCED. */
function expire(client: TLSSocket, up: Socket, log: Logger | undefined): void {
  log?.info('amqp front: token expired; closing the connection (320)');
  up.removeAllListeners('data');
  client.removeAllListeners('data');
  client.write(connectionClose(320, 'CONNECTION_FORCED - token expired'));
  up.destroy(); // the broker requeues the unacked deliveries
  // The client answers close-ok; either way the connection is over shortly.
  const reader = new FrameReader();
  client.on('data', (chunk: Buffer) => {
    if (reader.push(chunk).some((f) => connectionMethod(f) === METHOD.closeOk)) client.end();
  });
  setTimeout(() => client.destroy(), 2000).unref();
}

function joined(parts: Buffer[]): Buffer {
  return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
}
