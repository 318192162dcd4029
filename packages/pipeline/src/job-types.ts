import type { DeadLetterCode } from './dead-letter-codes';

/** A message pulled from an AMQP queue (dueslag). */
export interface AmqpMeta {
  kind: 'amqp';
  /** AMQP `messageId` (KOMBIT: a transaction id); undefined when the sender set none. */
  messageId: string | undefined;
  redelivered: boolean;
}

/** A message pushed to our HTTPS endpoint (ModtagBesked). */
export interface PushMeta {
  kind: 'push';
  /** The client certificate's subject (e.g. `CN=...,O=...`) and SHA-256 fingerprint, when one was presented. */
  certSubject: string | undefined;
  certFingerprint256: string | undefined;
}

/** How a message came in, kept with it for audits and dedupe analysis (never parsed). */
export type ChannelMeta = AmqpMeta | PushMeta;

/**
 * Data of a job in the inbox queue: the message exactly as received plus where it came from.
 *
 * `body` holds the exact bytes as a "binary" (latin1) string: one character U+0000..U+00FF per
 * byte, so every byte sequence round-trips (valid UTF-8 or not, any declared encoding) and a
 * mostly-ASCII XML message costs about one byte per byte in Redis (base64 would cost 4/3).
 * Write it with `encodeBody`, read it with `inboxBytes`; never treat it as text.
 */
export interface InboxJobData {
  body: string;
  /** CloudEvent `source` for this message (e.g. `urn:kombit:beskedfordeler:dueslag:<uuid>`). */
  source: string;
  /** Epoch ms when the source received it. */
  receivedAt: number;
  channel: ChannelMeta;
  /** Receive sequence (INCRBY on the inbox counter): the order messages arrived in. */
  seq: number;
  /**
   * Person key (personKey(): `c-` + a hash of the first CPR number, else the job id): the unit of
   * the order guarantee. Absent on jobs written before it existed (the worker then reads it).
   */
  person?: string;
  /**
   * Set when an earlier event of the same person was pending as this one was stored: only then
   * can the order gate hold it, so only then does the worker look before parsing.
   */
  behind?: true;
  /** The first inbox job id of this message when the job is a dead-letter replay. */
  replayOf?: string;
}

/** What a completed inbox job returns. */
export interface InboxJobResult {
  eventId: string;
  /** Entry id in the main stream (the existing one when this was a repeat). */
  entryId: string;
  /** True when the event had been dispatched before and nothing was written. */
  duplicate: boolean;
}

/** Data of a job in the dead-letter queue: the exact message and why it could not be delivered. */
export interface DeadLetterData extends InboxJobData {
  /** Stable error code (e.g. BESKED_FIELD_MISSING, or the transient error's code when retries ran out). */
  code: DeadLetterCode;
  /** One-line reason, without payload. */
  message: string;
  /** Attempts made before giving up. */
  attempts: number;
  /** Epoch ms of the first and the last failure. */
  firstFailedAt: number;
  lastFailedAt: number;
  /** The inbox job id that failed, and the very first inbox job id of this message. */
  inboxJobId: string;
  originalJobId: string;
}

/** BullMQ job name of inbox jobs. */
export const INBOX_JOB_NAME = 'besked';
export const DEAD_JOB_NAME = 'dead';
