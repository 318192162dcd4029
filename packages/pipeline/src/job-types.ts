/** AMQP metadata of a pulled message, kept with the raw text for audits and dedupe analysis. */
export interface AmqpMeta {
  /** AMQP `messageId` (KOMBIT: a transaction id); undefined when the sender set none. */
  messageId: string | undefined;
  redelivered: boolean;
  /** Epoch ms when the poller received it. */
  receivedAt: number;
}

/** Data of a job in the inbox queue: the message exactly as received plus where it came from. */
export interface InboxJobData {
  /** The message body as UTF-8 text (the Haendelsesbesked XML, untouched). */
  raw: string;
  /** CloudEvent `source` for this message (e.g. `urn:kombit:beskedfordeler:dueslag:<uuid>`). */
  source: string;
  amqp: AmqpMeta | undefined;
  /** Receive sequence (INCRBY on the inbox counter): the order messages arrived in. */
  seq: number;
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

/** Data of a job in the dead-letter queue: the raw message and why it could not be delivered. */
export interface DeadLetterData extends InboxJobData {
  /** Stable error code (e.g. BESKED_FIELD_MISSING, or the transient error's code when retries ran out). */
  code: string;
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
