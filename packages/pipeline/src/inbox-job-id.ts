import { createHash } from 'node:crypto';
import { peekEnvelopeIds, type EnvelopeIds } from '@cprh/besked';
import { personKey } from './person-key';

/** Where a received message goes in the inbox: its job id, its BeskedId, its person key. */
export interface InboxId {
  jobId: string;
  beskedId: string | null;
  person: string;
}

/**
 * BullMQ job id of a received message, derived from its BeskedId so a redelivery or a second copy
 * maps to the same job: `b-<id>` for ids that are safe as they are (UUIDs), `h-<sha256>` for
 * anything else (URNs contain ':' which BullMQ ids may not). A message whose BeskedId cannot be
 * read gets `raw-<sha256 of the body>`: it is still persisted, and the worker dead-letters it.
 * `person` is its person key (person-key.ts), read in the same pass over the envelope.
 */
export function inboxJobId(body: Uint8Array): InboxId {
  return inboxIdOf(peekEnvelopeIds(body), body);
}

/**
 * The same ids from what the caller already read in its own one pass over the body (the push
 * receiver's body check: BeskedId and first CPR number), so the body is not read a second time;
 * a null BeskedId gives `raw-<sha256 of the body>` (`bodySha256`, hex, when the caller already has
 * it, e.g. from a worker thread).
 */
export function inboxIdOf(read: EnvelopeIds, body: Uint8Array, bodySha256?: string): InboxId {
  const beskedId = read.beskedId === '' ? null : read.beskedId;
  const jobId =
    beskedId === null
      ? `raw-${bodySha256 ?? sha256(body)}`
      : /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(beskedId)
        ? `b-${beskedId.toLowerCase()}`
        : `h-${sha256(beskedId)}`;
  return { jobId, beskedId, person: personKey(read.cpr, jobId) };
}

function sha256(input: Uint8Array | string): string {
  return createHash('sha256').update(input).digest('hex');
}
