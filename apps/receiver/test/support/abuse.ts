// The kinds of abuse the receiver must stand while a well-behaved client keeps pushing (used by
// hostile-load.test.ts with modest sizes and by bench/push-bench.ts with the full ones). Loopback
// only. Each starts at once and runs until stop(), which resolves with what the abuser saw.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, createSecureContext, type TLSSocket } from 'node:tls';
import { Agent, request } from 'undici';
import type { DevPki } from '@cprh/testkit';
import { pushBody } from './push-body';

export interface AbuseTarget {
  port: number;
  url: string;
  pki: DevPki;
}

/** What an abuser saw: counts by outcome (HTTP status, 'closed', 'refused', ...). */
export type AbuseTally = Record<string, number>;

export interface RunningAbuse {
  stop(): Promise<AbuseTally>;
}

function tally(): { t: AbuseTally; add: (k: string) => void } {
  const t: AbuseTally = {};
  return { t, add: (k) => void (t[k] = (t[k] ?? 0) + 1) };
}

/** The first bytes of a TLS ClientHello record, sent one at a time. */
const CLIENT_HELLO_START = Buffer.from('160301020001' + '0001fc0303' + '00'.repeat(64), 'hex');

/**
 * `n` connections that each send their ClientHello one byte every `everyMs`; one that is closed is
 * opened again (a sustained slowloris at the handshake).
 */
export function slowHandshakes(target: AbuseTarget, n: number, everyMs = 1000): RunningAbuse {
  const { t, add } = tally();
  let stopped = false;
  const sockets = new Set<Socket>();
  const open = (): void => {
    if (stopped) return;
    const socket = netConnect(target.port, '127.0.0.1');
    const opened = Date.now();
    let i = 0;
    sockets.add(socket);
    const timer = setInterval(() => {
      if (!socket.destroyed) socket.write(CLIENT_HELLO_START.subarray(i % CLIENT_HELLO_START.length, ++i));
    }, everyMs);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      sockets.delete(socket);
      add(Date.now() - opened < 500 ? 'closed at once' : 'closed later');
      if (!stopped) setTimeout(open, 100);
    });
  };
  for (let i = 0; i < n; i++) open();
  return {
    async stop() {
      stopped = true;
      for (const s of sockets) s.destroy();
      return t;
    },
  };
}

/**
 * Every `periodMs`, `n` new TLS connections at once, without a client certificate (so the server
 * does its part of each handshake, then refuses it).
 */
export function connectionBursts(target: AbuseTarget, n: number, periodMs = 1000): RunningAbuse {
  const { t, add } = tally();
  // One context for all: the abuser's own cost per connection stays that of the handshake.
  const secureContext = createSecureContext({ ca: readFileSync(target.pki.files.ca) });
  const sockets = new Set<TLSSocket>();
  const burst = (): void => {
    add('bursts');
    for (let i = 0; i < n; i++) {
      const s = tlsConnect({ host: '127.0.0.1', port: target.port, secureContext, servername: 'localhost' });
      sockets.add(s);
      s.setTimeout(10_000, () => s.destroy());
      s.on('secureConnect', () => add('handshake done'));
      s.on('error', (err: NodeJS.ErrnoException) => add(err.code ?? 'error'));
      s.on('close', () => sockets.delete(s));
    }
  };
  burst();
  const timer = setInterval(burst, periodMs);
  return {
    async stop() {
      clearInterval(timer);
      for (const s of sockets) s.destroy();
      return t;
    },
  };
}

/** An authenticated client that can speak raw bytes (for what no HTTP client would send). */
function rawMutualTls(target: AbuseTarget, secureContext: ReturnType<typeof createSecureContext>): TLSSocket {
  return tlsConnect({ host: '127.0.0.1', port: target.port, secureContext, servername: 'localhost' });
}

/**
 * `lanes` authenticated connections sending requests with 64 KB of headers, each on a new
 * connection (the answer, 431, closes it), as fast as they are answered.
 */
export function headerFlood(target: AbuseTarget, lanes: number): RunningAbuse {
  const { t, add } = tally();
  let stopped = false;
  const path = new URL(target.url).pathname;
  let headers = '';
  for (let i = 0; headers.length < 64 * 1024; i++) headers += `X-Flood-${i}: ${'a'.repeat(100)}\r\n`;
  const request = `POST ${path} HTTP/1.1\r\nHost: localhost\r\n${headers}\r\n`;
  const context = createSecureContext({
    ca: readFileSync(target.pki.files.ca),
    cert: readFileSync(target.pki.files.clientCert),
    key: readFileSync(target.pki.files.clientKey),
  });
  const lane = async (): Promise<void> => {
    while (!stopped) {
      const status = await new Promise<string>((resolve) => {
        const s = rawMutualTls(target, context);
        let got = '';
        s.on('secureConnect', () => s.write(request));
        s.on('data', (d: Buffer) => (got += d.toString('latin1')));
        s.on('error', () => undefined);
        s.on('close', () => resolve(/^HTTP\/1\.1 (\d+)/.exec(got)?.[1] ?? 'closed'));
        s.setTimeout(10_000, () => s.destroy());
      });
      add(status);
    }
  };
  const done = Promise.all(Array.from({ length: lanes }, lane));
  return {
    async stop() {
      stopped = true;
      await done;
      return t;
    },
  };
}

/** `lanes` authenticated keep-alive connections posting `body()` as fast as they are answered. */
function bodyLoop(target: AbuseTarget, lanes: number, body: () => Buffer): RunningAbuse {
  const { t, add } = tally();
  let stopped = false;
  const agent = new Agent({
    connect: {
      ca: readFileSync(target.pki.files.ca),
      cert: readFileSync(target.pki.files.clientCert),
      key: readFileSync(target.pki.files.clientKey),
    },
    connections: lanes,
  });
  const lane = async (): Promise<void> => {
    while (!stopped) {
      try {
        const res = await request(target.url, {
          method: 'POST',
          dispatcher: agent,
          headers: { 'content-type': 'application/xml' },
          body: body(),
        });
        const text = await res.body.text();
        add(`${res.statusCode} ${/StatusKode>(\d+)</.exec(text)?.[1] ?? '-'}`);
      } catch (err) {
        add((err as NodeJS.ErrnoException).code ?? 'error');
        await new Promise((res) => setTimeout(res, 100));
      }
    }
  };
  const done = Promise.all(Array.from({ length: lanes }, lane));
  return {
    async stop() {
      stopped = true;
      await done;
      await agent.close();
      return t;
    },
  };
}

/** A ModtagBeskedInput whose start tag is `bytes` of namespace declarations. */
export function namespaceBombBody(bytes: number): Buffer {
  const head = '<?xml version="1.0"?><sts:ModtagBeskedInput xmlns:sts="urn:oio:sts:1.0.0"';
  const parts = [head];
  let size = head.length;
  for (let i = 0; size < bytes; i++) {
    const decl = ` xmlns:a${i}="urn:a"`;
    parts.push(decl);
    size += decl.length;
  }
  parts.push('/>');
  return Buffer.from(parts.join(''), 'utf8');
}

/** `lanes` connections posting a namespace bomb of `bytes` (the same bytes each time). */
export function namespaceBombs(target: AbuseTarget, lanes: number, bytes: number): RunningAbuse {
  const bomb = namespaceBombBody(bytes);
  return bodyLoop(target, lanes, () => bomb);
}

/** A ModtagBeskedInput holding two Haendelsesbesked (fresh BeskedIds). */
export function twoBeskedBody(): Buffer {
  const first = pushBody(randomUUID());
  const inner = (b: string): string =>
    /<ns2:Haendelsesbesked>[\s\S]*<\/ns2:Haendelsesbesked>/.exec(b)?.[0] ?? '';
  const a = inner(first);
  return Buffer.from(first.replace(a, a + inner(pushBody(randomUUID()))), 'utf8');
}

/** `lanes` connections posting ModtagBeskedInput bodies with two Haendelsesbesked. */
export function twoBeskedBodies(target: AbuseTarget, lanes: number): RunningAbuse {
  return bodyLoop(target, lanes, twoBeskedBody);
}
