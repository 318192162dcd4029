import { STREAM_FIELDS, type CprCloudEvent } from '@cprh/besked';
import { ConsumerError } from './consumer-error';

/** One stream entry as Redis returns it; fields is null when the entry was deleted while pending. */
export interface RawEntry {
  entryId: string;
  fields: Map<string, string> | null;
}

function replyError(what: string): ConsumerError {
  return new ConsumerError('CONSUMER_REPLY_INVALID', `unexpected Redis reply: ${what}`);
}

/** `[id, [k, v, k, v, ...] | null]` entries, as in XREADGROUP, XAUTOCLAIM and XRANGE replies. */
export function toRawEntries(reply: unknown): RawEntry[] {
  if (!Array.isArray(reply)) throw replyError('entry list is not an array');
  return reply.map((item: unknown) => {
    if (!Array.isArray(item) || typeof item[0] !== 'string') throw replyError('entry without id');
    const flat: unknown = item[1];
    if (flat === null || flat === undefined) return { entryId: item[0], fields: null };
    if (!Array.isArray(flat)) throw replyError('entry fields are not an array');
    const fields = new Map<string, string>();
    for (let i = 0; i + 1 < flat.length; i += 2) {
      fields.set(String(flat[i]), String(flat[i + 1]));
    }
    return { entryId: item[0], fields };
  });
}

/** The entries of the one stream in an XREADGROUP reply (null = nothing arrived in time). */
export function entriesOfReadReply(reply: unknown): RawEntry[] {
  if (reply === null) return [];
  if (!Array.isArray(reply)) throw replyError('XREADGROUP reply is not an array');
  const first: unknown = reply[0];
  if (first === undefined) return [];
  if (!Array.isArray(first)) throw replyError('XREADGROUP stream reply is not an array');
  return toRawEntries(first[1]);
}

/** XAUTOCLAIM's `[next cursor, entries, deleted ids]`. */
export function parseAutoclaimReply(reply: unknown): { next: string; entries: RawEntry[] } {
  if (!Array.isArray(reply) || typeof reply[0] !== 'string') throw replyError('XAUTOCLAIM reply');
  return { next: reply[0], entries: toRawEntries(reply[1]) };
}

/** The CloudEvent in the `event` field (names: STREAM_FIELDS in @cprh/besked); CONSUMER_EVENT_INVALID when missing or not a JSON object. */
export function decodeEvent(entryId: string, fields: Map<string, string>): CprCloudEvent {
  const text = fields.get(STREAM_FIELDS.event);
  if (text === undefined) {
    throw new ConsumerError('CONSUMER_EVENT_INVALID', `entry ${entryId} has no event field`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ConsumerError('CONSUMER_EVENT_INVALID', `entry ${entryId}: event field is not valid JSON`, {
      cause: err,
    });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConsumerError('CONSUMER_EVENT_INVALID', `entry ${entryId}: event field is not a JSON object`);
  }
  // The worker writes only events built from CprCloudEvent; a full schema check per event would be
  // the consumer's own choice (cloudEventJsonSchema is exported by @cprh/besked).
  return parsed as CprCloudEvent;
}

/** The `seq` field as a number, or null when absent or not an integer. */
export function decodeSeq(fields: Map<string, string>): number | null {
  const text = fields.get(STREAM_FIELDS.seq);
  if (text === undefined || !/^\d+$/.test(text)) return null;
  return Number(text);
}
