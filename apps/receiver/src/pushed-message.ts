import type { BeskedErrorCode } from '@cprh/besked';
import type { InboxId } from '@cprh/pipeline';

/** One request body as the endpoint received it, with who sent it (from the TLS session). */
export interface PushedMessage {
  /** The exact bytes of the body. */
  readonly body: Buffer;
  /** Epoch ms when the body was complete. */
  readonly receivedAt: number;
  /** The client certificate's subject (`CN=…,O=…`) and SHA-256 fingerprint. */
  readonly certSubject: string | undefined;
  readonly certFingerprint256: string | undefined;
}

/** Why a message could not be taken into the inbox (recorded with its dead letter). */
export interface PushFailure {
  readonly code: BeskedErrorCode;
  readonly message: string;
}

/**
 * Where pushed messages go: the inbox (the poller's way in), or the dead letters; `id` is the
 * inbox job id and person key the body check read (the body is not read again).
 */
export interface PushSinks {
  /** Resolves only when Redis confirmed the inbox write (a repeat of a stored BeskedId included). */
  store(message: PushedMessage, id: InboxId): Promise<void>;
  /** Resolves only when Redis confirmed the dead letter, or that these bytes already are one. */
  deadLetter(message: PushedMessage, failure: PushFailure, id: InboxId): Promise<'recorded' | 'repeat'>;
}
