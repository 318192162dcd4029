import type { RedisConnection } from '@cprh/pipeline';
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
      reply = (await redis.xread('COUNT', PAGE, 'BLOCK', o.blockMs, 'STREAMS', stream, cursor)) as
        [string, RawStreamEntry[]][] | null;
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
