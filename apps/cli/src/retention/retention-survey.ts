import type { RedisConnection as Redis } from '@cprh/pipeline';
import type { Config } from '@cprh/config';
import { isStripped } from '@cprh/pipeline';
import type { FamilyId } from './key-families';

/** One row of `cprh retention`: a key family (a stream per row) as found in Redis now. */
export interface SurveyRow {
  id: FamilyId;
  /** The stream's name for a stream row. */
  stream?: string;
  keys: number;
  /** Jobs, stream entries or keys, as fits the family. */
  entries: number;
  /** Estimated bytes in Redis (MEMORY USAGE of a sample of keys, scaled to all). */
  bytes: number;
  /** Epoch ms of the oldest entry, when the family has one; `approx` when estimated. */
  oldest?: number;
  approx?: boolean;
}

export interface Survey {
  rows: SurveyRow[];
  /** Completed inbox jobs looked at, and how many of them still held a message's bytes. */
  completedSampled: number;
  completedWithBytes: number;
}

const SAMPLE = 100;
/** Key names BullMQ gives a queue's own structures (not jobs). */
const BULLMQ_KEYS = new Set([
  'wait',
  'active',
  'delayed',
  'prioritized',
  'completed',
  'failed',
  'paused',
  'meta',
  'id',
  'events',
  'stalled',
  'stalled-check',
  'marker',
  'limiter',
  'pc',
  'repeat',
  'waiting-children',
  'metrics',
]);

type Cfg = Pick<Config, 'pipeline' | 'poller'>;

/**
 * Measures every key family of a running system: SCANs the keys under QUEUE_PREFIX once and sorts
 * them into families (anything not recognised is `other`, so nothing goes unseen), counts jobs by
 * state, sizes a sample of each family with MEMORY USAGE and finds the oldest entry.
 */
export async function surveyRetention(redis: Redis, cfg: Cfg, now = Date.now()): Promise<Survey> {
  const p = cfg.pipeline;
  const prefix = `${p.queuePrefix}:`;
  const inboxPrefix = `${prefix}${p.inboxQueue}:`;
  const deadPrefix = `${prefix}${p.deadQueue}:`;
  const streams = p.retainedStreams.map((s) => s.stream);

  const families = new Map<FamilyId, string[]>();
  const add = (id: FamilyId, key: string) => {
    const list = families.get(id);
    if (list) list.push(key);
    else families.set(id, [key]);
  };
  const jobState = new Map<string, FamilyId>();
  for (const [state, id] of [
    ['waiting', 'inbox'],
    ['active', 'inbox'],
    ['delayed', 'inbox'],
    ['prioritized', 'inbox'],
    ['waiting-children', 'inbox'],
    ['completed', 'completed'],
    ['failed', 'failed'],
  ] as const) {
    for (const jobId of await jobIds(redis, inboxPrefix, state)) jobState.set(`${inboxPrefix}${jobId}`, id);
  }

  for (const key of await scanAll(redis, `${prefix}*`)) {
    if (streams.includes(key)) continue;
    if (key.startsWith(`${prefix}dispatched:`)) add('markers', key);
    else if (key === p.seqKey) add('sequence', key);
    else if (key.startsWith(`${prefix}${p.errorQueueMovesQueue}:`)) add('fejlkoe', key);
    else if (key.startsWith(`${prefix}${cfg.poller.schedulerQueue}-`)) add('poller', key);
    else if (key.startsWith(inboxPrefix) || key.startsWith(deadPrefix)) {
      const rest = key.slice((key.startsWith(inboxPrefix) ? inboxPrefix : deadPrefix).length);
      if (BULLMQ_KEYS.has(rest) || rest.includes(':')) add('bookkeeping', key);
      else if (key.startsWith(deadPrefix)) add('dead', key);
      else add(jobState.get(key) ?? 'bookkeeping', key);
    } else add('other', key);
  }

  const rows: SurveyRow[] = [];
  for (const stream of streams) rows.push(await streamRow(redis, stream));
  for (const id of [
    'inbox',
    'completed',
    'failed',
    'dead',
    'markers',
    'sequence',
    'bookkeeping',
    'fejlkoe',
    'poller',
    'other',
  ] as const) {
    const keys = families.get(id) ?? [];
    const row: SurveyRow = { id, keys: keys.length, entries: keys.length, bytes: await sizeOf(redis, keys) };
    if (id === 'inbox' || id === 'dead') row.oldest = await oldestTimestamp(redis, keys);
    if (id === 'completed' || id === 'failed') row.oldest = await oldestScore(redis, `${inboxPrefix}${id}`);
    if (id === 'markers' && keys.length > 0) {
      // Written with DISPATCHED_TTL_SECONDS: the least time left among a sample says how old.
      const ttls = await Promise.all(sample(keys).map((k) => redis.pttl(k)));
      const least = Math.min(...ttls.filter((t) => t >= 0));
      if (Number.isFinite(least)) {
        row.oldest = now - (p.dispatchedTtlSeconds * 1000 - least);
        row.approx = true;
      }
    }
    rows.push(row);
  }

  const completed = families.get('completed') ?? [];
  const looked = sample(completed, 1000);
  let withBytes = 0;
  if (looked.length > 0) {
    const pipe = redis.pipeline();
    for (const k of looked) pipe.hget(k, 'data');
    for (const [, v] of (await pipe.exec()) ?? []) {
      try {
        const d = JSON.parse(String(v)) as { body?: unknown };
        if (!isStripped(d) && typeof d.body === 'string') withBytes += 1;
      } catch {
        // not JSON: not a message
      }
    }
  }
  return { rows, completedSampled: looked.length, completedWithBytes: withBytes };
}

async function streamRow(redis: Redis, stream: string): Promise<SurveyRow> {
  const row: SurveyRow = { id: 'streams', stream, keys: 0, entries: 0, bytes: 0 };
  if ((await redis.type(stream)) !== 'stream') return row;
  row.keys = 1;
  row.entries = await redis.xlen(stream);
  row.bytes = Number((await redis.call('MEMORY', 'USAGE', stream, 'SAMPLES', '5')) ?? 0);
  const [first] = await redis.xrange(stream, '-', '+', 'COUNT', 1);
  if (first) row.oldest = Number(first[0].split('-')[0]);
  return row;
}

async function jobIds(redis: Redis, queuePrefix: string, state: string): Promise<string[]> {
  const key = `${queuePrefix}${state === 'waiting' ? 'wait' : state}`;
  const type = await redis.type(key);
  if (type === 'list') return redis.lrange(key, 0, -1);
  if (type === 'zset') return redis.zrange(key, 0, -1);
  if (type === 'set') return redis.smembers(key);
  return [];
}

async function scanAll(redis: Redis, match: string): Promise<string[]> {
  const out = new Set<string>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', match.replace(/[?[\]\\]/g, '\\$&'), 'COUNT', 1000);
    cursor = next;
    for (const k of keys) out.add(k);
  } while (cursor !== '0');
  return [...out];
}

function sample(keys: readonly string[], n = SAMPLE): string[] {
  if (keys.length <= n) return [...keys];
  const step = keys.length / n;
  return Array.from({ length: n }, (_, i) => keys[Math.floor(i * step)] ?? '');
}

/** MEMORY USAGE of up to SAMPLE keys, scaled to all of them. */
async function sizeOf(redis: Redis, keys: readonly string[]): Promise<number> {
  const some = sample(keys);
  if (some.length === 0) return 0;
  const pipe = redis.pipeline();
  for (const k of some) pipe.call('MEMORY', 'USAGE', k);
  const sizes = ((await pipe.exec()) ?? []).map(([, v]) => Number(v ?? 0));
  return Math.round((sizes.reduce((a, b) => a + b, 0) / some.length) * keys.length);
}

async function oldestTimestamp(redis: Redis, keys: readonly string[]): Promise<number | undefined> {
  let oldest: number | undefined;
  for (let i = 0; i < keys.length; i += 500) {
    const pipe = redis.pipeline();
    for (const k of keys.slice(i, i + 500)) pipe.hget(k, 'timestamp');
    for (const [, v] of (await pipe.exec()) ?? []) {
      const t = Number(v);
      if (v !== null && Number.isFinite(t) && (oldest === undefined || t < oldest)) oldest = t;
    }
  }
  return oldest;
}

async function oldestScore(redis: Redis, key: string): Promise<number | undefined> {
  const [, score] = await redis.zrange(key, 0, 0, 'WITHSCORES');
  return score === undefined ? undefined : Number(score);
}
