/**
 * The events-stream contract, the one definition both sides use: the dispatcher (packages/pipeline)
 * writes each event as one stream entry with these fields, in this order, and @cprh/consumer reads
 * them. Downstream services that read the stream without the consumer rely on the same names.
 */
export const STREAM_FIELDS = {
  /** The CloudEvent as compact JSON (CprCloudEvent). */
  event: 'event',
  /** The CloudEvent `id` (the BeskedId), for lookups without parsing `event`. */
  id: 'id',
  /** The CloudEvent `type`, for filtering without parsing `event`. */
  type: 'type',
  /** The receive sequence (decimal integer): the order the messages arrived in. */
  seq: 'seq',
} as const;

/** Default name of the main events stream (setting EVENTS_STREAM, the consumer's `stream`). */
export const DEFAULT_EVENTS_STREAM = 'cpr:events';

/** What a stream entry carries. */
export interface StreamEntryValues {
  /** The CloudEvent's JSON text. */
  event: string;
  id: string;
  type: string;
  seq: number;
}

/** The entry as XADD's field/value list, in the contract's order. */
export function streamEntryFields(v: StreamEntryValues): string[] {
  return [
    STREAM_FIELDS.event,
    v.event,
    STREAM_FIELDS.id,
    v.id,
    STREAM_FIELDS.type,
    v.type,
    STREAM_FIELDS.seq,
    String(v.seq),
  ];
}
