import type { RedisConnection as Redis } from './redis-connections';

/** What one age trim of one stream found and did. */
export interface StreamTrimReport {
  stream: string;
  /** Entries removed (older than the age). */
  trimmed: number;
  groups: GroupReport[];
}

export interface GroupReport {
  group: string;
  /** Age in seconds of the oldest entry the group has not read (0 when up to date). */
  oldestUnreadAgeSeconds: number;
  /** True when the age removes entries the group has not read within the warning window. */
  unreadExpiring: boolean;
  /** Entries removed now that the group had not read. */
  unreadTrimmed: number;
}

/**
 * Trims `stream` to entries younger than `maxAgeSeconds` (XTRIM MINID: entry ids are their
 * timestamps), and first reports every consumer group that has not read entries the trim removes
 * now (lost for it) or within `warnSeconds` (still time to act). Entries a group has read but not
 * acknowledged are not "unread" (XAUTOCLAIM hands back a removed one as deleted).
 */
export async function trimStreamByAge(
  redis: Redis,
  stream: string,
  maxAgeSeconds: number,
  warnSeconds: number,
  now = Date.now(),
): Promise<StreamTrimReport> {
  const report: StreamTrimReport = { stream, trimmed: 0, groups: [] };
  if ((await redis.type(stream)) !== 'stream') return report;
  const cutoff = now - maxAgeSeconds * 1000;
  const warnCutoff = cutoff + warnSeconds * 1000;
  for (const info of (await redis.xinfo('GROUPS', stream)) as unknown[][]) {
    const g = fields(info);
    const group = text(g.get('name'), '');
    const last = text(g.get('last-delivered-id'), '0-0');
    const [next] = (await redis.xrange(stream, `(${last}`, '+', 'COUNT', 1)) as [string, string[]][];
    const oldest = next === undefined ? undefined : entryTime(next[0]);
    report.groups.push({
      group,
      oldestUnreadAgeSeconds: oldest === undefined ? 0 : Math.max(0, (now - oldest) / 1000),
      unreadExpiring: maxAgeSeconds > 0 && oldest !== undefined && oldest < warnCutoff,
      unreadTrimmed:
        maxAgeSeconds > 0 && oldest !== undefined && oldest < cutoff
          ? await countRange(redis, stream, `(${last}`, `(${cutoff}-0`)
          : 0,
    });
  }
  if (maxAgeSeconds > 0) report.trimmed = await trimBefore(redis, stream, `${cutoff}-0`);
  return report;
}

/** Per call at most this many entries go in the approximate passes (Redis stays responsive). */
const TRIM_CHUNK = 10000;

/**
 * XTRIM MINID in bounded approximate steps (whole macro nodes, LIMIT), then one exact pass for the
 * few older entries left in a partly old node: a first trim of a long untrimmed stream never
 * blocks Redis for long, and afterwards no entry older than the age is left.
 */
async function trimBefore(redis: Redis, stream: string, minId: string): Promise<number> {
  let n = 0;
  for (;;) {
    const removed = Number(
      await redis.call('XTRIM', stream, 'MINID', '~', minId, 'LIMIT', String(TRIM_CHUNK)),
    );
    n += removed;
    if (removed === 0) break;
  }
  return n + (await redis.xtrim(stream, 'MINID', minId));
}

/** Entries between two ids, counted a page at a time (only when a group is about to lose some). */
async function countRange(redis: Redis, stream: string, start: string, end: string): Promise<number> {
  let n = 0;
  let from = start;
  for (;;) {
    const page = await redis.xrange(stream, from, end, 'COUNT', 200);
    n += page.length;
    const lastId = page[page.length - 1]?.[0];
    if (page.length < 200 || lastId === undefined) return n;
    from = `(${lastId}`;
  }
}

function entryTime(id: string): number {
  return Number(id.split('-')[0]);
}

/** An XINFO field that Redis sends as a bulk string (ioredis: a string), else `fallback`. */
function text(v: unknown, fallback: string): string {
  return typeof v === 'string' ? v : fallback;
}

function fields(flat: unknown[]): Map<string, unknown> {
  const m = new Map<string, unknown>();
  for (let i = 0; i + 1 < flat.length; i += 2) m.set(String(flat[i]), flat[i + 1]);
  return m;
}
