import { UnrecoverableError } from 'bullmq';
import { peekBeskedId } from '@cprh/besked';
import { inboxBytes } from './inbox-body';
import type { InboxJobData, InboxJobResult } from './job-types';

/** Why a finished inbox job no longer needs its message: dispatched, or kept as a dead letter. */
export type StrippedOutcome = 'dispatched' | 'dead-lettered';

/**
 * What a finished inbox job keeps once the message's bytes (and with them every CPR number) are
 * removed: the inbox fields without `body` (source, receivedAt, channel, seq, and whatever a
 * producer added, e.g. a person-key hash) plus the BeskedId, the outcome and the message's size.
 * Times and attempts stay on the job itself (timestamp, processedOn, finishedOn, attemptsMade).
 */
export type StrippedJobData = Omit<InboxJobData, 'body'> & {
  body?: undefined;
  bytesRemoved: {
    /** Epoch ms when the bytes were removed. */
    at: number;
    /** Size of the removed message. */
    bytes: number;
    outcome: StrippedOutcome;
  };
  /** The message's BeskedId (null when it had none readable). */
  beskedId: string | null;
  /** Entry id in the main stream, when dispatched. */
  entryId?: string;
};

/** The metadata a job keeps (see StrippedJobData); `data` is the job's data with its bytes. */
export function strippedJobData(
  data: InboxJobData,
  outcome: StrippedOutcome,
  result?: InboxJobResult,
  now = Date.now(),
): StrippedJobData {
  // `body` holds one character per byte: its length is the size, without copying the bytes.
  const size = typeof data.body === 'string' ? data.body.length : (inboxBytes(data)?.length ?? 0);
  let beskedId = result?.eventId;
  if (beskedId === undefined) {
    const bytes = inboxBytes(data);
    beskedId = bytes === undefined ? undefined : (peekBeskedId(bytes) ?? undefined);
  }
  // Built field by field without the bytes (`raw`: jobs from before the byte-exact format), in
  // the order the JSON shows them. Not spread and not deleted from: an object spread from one built
  // by keyed stores, or one with a deleted property, is a slow dictionary object, and this runs
  // once per finished job (~2 µs each, then slower JSON; issue 23).
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(data)) {
    if (key !== 'body' && key !== 'raw') out[key] = (data as unknown as Record<string, unknown>)[key];
  }
  out.bytesRemoved = { at: now, bytes: size, outcome };
  out.beskedId = beskedId ?? null;
  if (result !== undefined) out.entryId = result.entryId;
  return out as unknown as StrippedJobData;
}

export function isStripped(data: unknown): data is StrippedJobData {
  return typeof data === 'object' && data !== null && 'bytesRemoved' in data;
}

/**
 * A stripped job that runs again (a worker died between removing the bytes and completing, or
 * someone retried it on the board) must not parse or dispatch anything: a dispatched one completes
 * as the repeat it is, a dead-lettered one fails again (its bytes are in the dead letter).
 */
export function rerunOfStripped(data: StrippedJobData): InboxJobResult {
  if (data.bytesRemoved.outcome === 'dispatched' && data.beskedId !== null) {
    return { eventId: data.beskedId, entryId: data.entryId ?? '', duplicate: true };
  }
  throw new UnrecoverableError('the message was dead-lettered; replay the dead letter instead');
}
