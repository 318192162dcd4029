import { createHash, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { Cluster, Redis } from 'ioredis';
import { publishToDueslag, rewriteBeskedId } from '@cprh/simulator';
import { createLogger, type Logger } from '@cprh/runtime';
import {
  appMain,
  readFixture,
  runMain,
  waitFor,
  withAmqpChannel,
  type MainRun,
  type PipelineTestEnv,
} from '@cprh/testkit';

export const SAMPLE = readFixture('beskeder/testbesked01.xml');
export const POLLER_MAIN = appMain('poller');
export const WORKER_MAIN = appMain('worker');
export const CLI_MAIN = appMain('cli');
export const DEMO_MAIN = appMain('demo');

/** n fresh BeskedIds and their messages. */
export function freshMessages(n: number): { ids: string[]; bodies: Buffer[] } {
  const ids = Array.from({ length: n }, () => randomUUID());
  return { ids, bodies: ids.map((id) => Buffer.from(rewriteBeskedId(SAMPLE, id))) };
}

export async function publish(env: Record<string, string>, bodies: Iterable<Buffer>): Promise<number> {
  return publishToDueslag(bodies, { url: env.AMQP_URL ?? '', queue: env.DUESLAG_QUEUE ?? '' });
}

/** A pino logger writing into an array, to assert on what a service logged. */
export function capturingLogger(level = 'info'): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      cb();
    },
  });
  return { log: createLogger('test', level, stream), lines };
}

/** The `id` field of every entry of a stream, in stream order. */
export async function streamEventIds(redis: Redis | Cluster, stream: string): Promise<string[]> {
  const out: string[] = [];
  let start = '-';
  for (;;) {
    const page = await redis.xrange(stream, start, '+', 'COUNT', 2000);
    for (const [, fields] of page) {
      const i = fields.indexOf('id');
      out.push(i >= 0 ? (fields[i + 1] ?? '') : '');
    }
    if (page.length < 2000) return out;
    start = '(' + (page[page.length - 1]?.[0] ?? '');
  }
}

export async function waitForStreamLength(
  redis: Redis | Cluster,
  stream: string,
  n: number,
  timeoutMs = 30000,
): Promise<void> {
  await waitFor(`${n} entries in ${stream}`, async () => (await redis.xlen(stream)) >= n, {
    timeoutMs,
    intervalMs: 100,
  });
}

/** Ready messages in the dueslag (unacked ones return to ready when their channel closes). */
export async function readyInQueue(queue: string): Promise<number> {
  return withAmqpChannel(async (ch) => (await ch.checkQueue(queue)).messageCount);
}

/** Asserts the stream holds exactly one entry per id, and nothing else. */
export function expectExactlyOnce(streamIds: string[], ids: string[]): void {
  const counts = new Map<string, number>();
  for (const id of streamIds) counts.set(id, (counts.get(id) ?? 0) + 1);
  const dupes = [...counts].filter(([, c]) => c > 1).map(([id]) => id);
  const missing = ids.filter((id) => !counts.has(id));
  const extra = [...counts.keys()].filter((id) => !ids.includes(id));
  expect({ dupes, missing, extra, total: streamIds.length }).toEqual({
    dupes: [],
    missing: [],
    extra: [],
    total: ids.length,
  });
}

/**
 * Every id exactly once in the test's stream, and nothing left ready in its dueslag. Call it after the
 * services stopped: anything unacked is then back in the queue.
 */
export async function expectDeliveredExactlyOnce(
  redis: Redis | Cluster,
  t: Pick<PipelineTestEnv, 'stream' | 'dueslag'>,
  ids: string[],
): Promise<void> {
  expectExactlyOnce(await streamEventIds(redis, t.stream), ids);
  expect(await readyInQueue(t.dueslag)).toBe(0);
}

/** Runs cprh with `args` (and `stdin`), keeping stdout as bytes (spawnTs splits it into text lines). */
/** Runs `cprh ARGS` to its end. */
export function runCli(env: Record<string, string>, args: string[], stdin?: Buffer): Promise<MainRun> {
  return runMain(CLI_MAIN, env, args, stdin);
}

/** Runs `cprh-demo ARGS` (the demo launcher: start, sim, publish, kombit check) to its end. */
export function runDemo(env: Record<string, string>, args: string[], stdin?: Buffer): Promise<MainRun> {
  return runMain(DEMO_MAIN, env, args, stdin);
}

export const sha256 = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');
