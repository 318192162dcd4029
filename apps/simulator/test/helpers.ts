import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import * as amqp from 'amqplib';
import { loadCerts, makeDevCerts, type CertBundle } from '../src/certificates';

export const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export function uniquePrefix(): string {
  return `cprh-sim-test-${randomUUID().slice(0, 8)}:`;
}

/** Fresh dev PKI in a temp dir, made by certs/make-dev-certs.sh (removed by cleanup()). */
export function makeTestCerts(): { dir: string; certs: CertBundle; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'cprh-sim-certs-'));
  makeDevCerts(dir);
  return { dir, certs: loadCerts(dir), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface QueuedMessage {
  readonly body: string;
  readonly messageId: string | undefined;
  readonly persistent: boolean;
}

/**
 * Takes every message from the queues (basic.get, acked), waiting until `expected` counts are
 * reached or the deadline passes. The queues stay (delete them with deleteQueues).
 */
/** Takes messages from one queue into `list`; false when the queue does not exist (yet). */
async function drainOne(
  conn: amqp.ChannelModel,
  q: string,
  list: QueuedMessage[],
  expected: number,
  deadline: number,
): Promise<boolean> {
  const ch = await conn.createChannel();
  ch.on('error', () => undefined);
  try {
    for (;;) {
      const msg = await ch.get(q, { noAck: true });
      if (msg) {
        list.push({
          body: msg.content.toString('utf8'),
          messageId: msg.properties.messageId as string | undefined,
          persistent: msg.properties.deliveryMode === 2,
        });
        continue;
      }
      if (list.length >= expected || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await ch.close();
    return true;
  } catch {
    return false;
  }
}

export async function drainQueues(
  queues: readonly string[],
  expected: Record<string, number> = {},
  timeoutMs = 5000,
): Promise<Record<string, QueuedMessage[]>> {
  const conn = await amqp.connect(AMQP_URL);
  conn.on('error', () => undefined);
  try {
    const out: Record<string, QueuedMessage[]> = {};
    const deadline = Date.now() + timeoutMs;
    for (const q of queues) {
      const list: QueuedMessage[] = [];
      out[q] = list;
      // basic.get on a missing queue closes the channel. When messages are expected, the publisher
      // may not have declared the queue yet (it does on first publish): wait for it until the deadline.
      const want = expected[q] ?? 0;
      while (!(await drainOne(conn, q, list, want, deadline)) && want > 0 && Date.now() <= deadline) {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    return out;
  } finally {
    await conn.close().catch(() => undefined);
  }
}

export async function deleteQueues(queues: readonly string[]): Promise<void> {
  const conn = await amqp.connect(AMQP_URL);
  conn.on('error', () => undefined);
  try {
    const ch = await conn.createChannel();
    for (const q of queues) await ch.deleteQueue(q).catch(() => undefined);
    await ch.close().catch(() => undefined);
  } finally {
    await conn.close();
  }
}

/** BeskedId of a Haendelsesbesked (prefix-agnostic enough for the simulator's own output). */
export function beskedIdOf(xml: string): string | undefined {
  return /<(?:\w+:)?BeskedId>\s*<(?:\w+:)?UUIDIdentifikator>([^<]+)</.exec(xml)?.[1];
}

/** Deletes every key under a test's own prefix (SCAN, not KEYS: the Redis is shared). */
export async function deleteKeysWithPrefix(redis: import('ioredis').Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}

export interface Received {
  body: string;
  clientCertSubject: string | undefined;
}

/** An anvendersystem's push endpoint: HTTPS with mutual TLS on port 0, scripted answers. */
export async function receiver(
  certs: CertBundle,
  answer: (n: number) => { status: number; body: string },
): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer(
    {
      key: certs.serverKey,
      cert: certs.serverCert,
      ca: certs.ca,
      requestCert: true,
      rejectUnauthorized: true,
    },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const peer = (req.socket as TLSSocket).getPeerCertificate();
        received.push({
          body: Buffer.concat(chunks).toString('utf8'),
          clientCertSubject: String(peer.subject?.CN),
        });
        const a = answer(received.length);
        res.writeHead(a.status, { 'content-type': 'application/xml' });
        res.end(a.body);
      });
    },
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}/ModtagBesked`,
    received,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** A push receiver's success answer: ModtagBeskedOutput with StatusKode 20. */
export const PUSH_OK =
  '<?xml version="1.0" encoding="UTF-8"?><ns4:ModtagBeskedOutput xmlns="urn:oio:sagdok:3.0.0" xmlns:ns4="urn:oio:sts:1.0.0"><StandardRetur><StatusKode>20</StatusKode><FejlbeskedTekst>OK</FejlbeskedTekst></StandardRetur></ns4:ModtagBeskedOutput>';
