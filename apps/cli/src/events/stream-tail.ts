import { streamDirectoryKey, type RedisConnection } from '@cprh/pipeline';
import type { RawStreamEntry } from './event-line';

export interface TailOptions {
  /** Start at the stream's first entry (else only entries added after the start). */
  fromStart: boolean;
  /** Stop after the last entry that existed at the start (else follow new entries). */
  exitAtEnd: boolean;
  /** How long one blocking read waits while following. */
  blockMs: number;
  /** Ends the follow loop (Ctrl-C); the caller also disconnects to cut a blocked read short. */
  signal: AbortSignal;
  /** Called once the start position is fixed and the tail follows new entries. */
  onFollowing?: () => void;
}

const PAGE = 500;

/**
 * The entries of one stream in stream order, page by page. The end is the last entry id when
 * the tail starts, so `exitAtEnd` prints exactly what existed then however fast the stream grows.
 */
export async function* tailStream(
  redis: RedisConnection,
  stream: string,
  o: TailOptions,
): AsyncGenerator<RawStreamEntry[]> {
  const newest = (await redis.xrevrange(stream, '+', '-', 'COUNT', 1))[0]?.[0];
  let cursor = o.fromStart ? '0-0' : (newest ?? '0-0');
  if (o.exitAtEnd) {
    if (!o.fromStart || newest === undefined) return;
    while (!o.signal.aborted) {
      const page = (await redis.xrange(stream, `(${cursor}`, newest, 'COUNT', PAGE)) as RawStreamEntry[];
      if (page.length > 0) yield page;
      const lastId = page[page.length - 1]?.[0];
      if (lastId === undefined || lastId === newest || page.length < PAGE) return;
      cursor = lastId;
    }
    return;
  }
  o.onFollowing?.();
  while (!o.signal.aborted) {
    let reply: [string, RawStreamEntry[]][] | null;
    try {
      reply = await redis.xread('COUNT', PAGE, 'BLOCK', o.blockMs, 'STREAMS', stream, cursor);
    } catch (err) {
      if (o.signal.aborted) return;
      throw err;
    }
    const page = reply?.[0]?.[1] ?? [];
    if (page.length === 0) continue;
    yield page;
    cursor = page[page.length - 1]?.[0] ?? cursor;
  }
}

/**
 * The entries of every partition stream of a stream: one stream as tailStream; several (PARTITIONS
 * > 1) one after the other with `exitAtEnd`, else followed together. Order holds within each
 * partition stream (so per person), not across them. Each stream is read on its own: on a cluster
 * the partitions live in different slots, where one XREAD over all of them would be refused.
 */
export async function* tailStreams(
  redis: RedisConnection,
  streams: readonly string[],
  o: TailOptions,
): AsyncGenerator<RawStreamEntry[]> {
  if (streams.length === 1) {
    yield* tailStream(redis, streams[0]!, o);
    return;
  }
  const newest = await Promise.all(
    streams.map(async (s) => (await redis.xrevrange(s, '+', '-', 'COUNT', 1))[0]?.[0]),
  );
  if (o.exitAtEnd) {
    for (const stream of streams) {
      if (o.signal.aborted) return;
      yield* tailStream(redis, stream, o);
    }
    return;
  }
  const cursors = streams.map((_, i) => (o.fromStart ? '0-0' : (newest[i] ?? '0-0')));
  o.onFollowing?.();
  // Without BLOCK (one blocked read would hold back the others), a short pause when all were empty.
  const pauseMs = Math.min(o.blockMs, 200);
  while (!o.signal.aborted) {
    let any = false;
    for (const [i, stream] of streams.entries()) {
      let reply: [string, RawStreamEntry[]][] | null;
      try {
        reply = await redis.xread('COUNT', PAGE, 'STREAMS', stream, cursors[i]!);
      } catch (err) {
        if (o.signal.aborted) return;
        throw err;
      }
      const page = reply?.[0]?.[1] ?? [];
      if (page.length === 0) continue;
      any = true;
      yield page;
      cursors[i] = page[page.length - 1]?.[0] ?? cursors[i]!;
    }
    if (!any) await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
}

/** The partition streams of a stream, from its directory (`<stream>:partitions`); else the stream itself. */
export async function partitionStreamsOf(redis: RedisConnection, stream: string): Promise<string[]> {
  const listed = await redis.get(streamDirectoryKey(stream));
  return listed === null ? [stream] : listed.split(' ').filter((n) => n !== '');
}
