import type { InboxJobData } from './job-types';

/** The exact bytes as stored in a job's `body` (latin1: one char per byte, see InboxJobData). */
export function encodeBody(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** Jobs written before `body` existed held `raw`, the body already decoded as UTF-8. */
interface LegacyJobData {
  raw?: unknown;
}

/**
 * The exact bytes of an inbox job or dead letter, or undefined when the job holds none (written by
 * something else). A job from before the byte-exact format gives back the UTF-8 of its text, which
 * is what the worker parsed then.
 */
export function inboxBytes(data: Partial<InboxJobData> | undefined): Buffer | undefined {
  if (typeof data?.body === 'string') return Buffer.from(data.body, 'latin1');
  const legacy = (data as LegacyJobData | undefined)?.raw;
  return typeof legacy === 'string' ? Buffer.from(legacy, 'utf8') : undefined;
}

/**
 * The message of an inbox job as the parser takes it (a string is read as its UTF-8 bytes): the
 * stored body itself when it is ASCII, which latin1 and UTF-8 write alike, so no bytes are made of
 * it (the worker parses every job); else its exact bytes. Undefined as for inboxBytes.
 */
export function inboxMessage(data: Partial<InboxJobData> | undefined): string | Buffer | undefined {
  const body = data?.body;
  if (typeof body === 'string' && Buffer.byteLength(body, 'utf8') === body.length) return body;
  return inboxBytes(data);
}
