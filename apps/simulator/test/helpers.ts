import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
      // A channel per queue: basic.get on a missing queue closes the channel.
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
          if (list.length >= (expected[q] ?? 0) || Date.now() > deadline) break;
          await new Promise((r) => setTimeout(r, 50));
        }
        await ch.close();
      } catch {
        // queue did not exist: nothing to take
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
