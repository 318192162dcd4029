import { createHash } from 'node:crypto';
import { peekEnvelopeIds } from '@cprh/besked';
import { personKey } from './person-key';

/**
 * BullMQ job id of a received message, derived from its BeskedId so a redelivery or a second copy
 * maps to the same job: `b-<id>` for ids that are safe as they are (UUIDs), `h-<sha256>` for
 * anything else (URNs contain ':' which BullMQ ids may not). A message whose BeskedId cannot be
 * read gets `raw-<sha256 of the body>`: it is still persisted, and the worker dead-letters it.
 * `person` is its person key (person-key.ts), read in the same pass over the envelope.
 */
export function inboxJobId(body: Uint8Array): { jobId: string; beskedId: string | null; person: string } {
  const { beskedId, cpr } = peekEnvelopeIds(body);
  const { jobId } = inboxJobIdOf(beskedId, body);
  return { jobId, beskedId: beskedId === '' ? null : beskedId, person: personKey(cpr, jobId) };
}

/**
 * The same id for a BeskedId the caller already read (the push receiver's body check), so the
 * body is not parsed a second time; null gives `raw-<sha256 of the body>` (`bodySha256`, hex, when
 * the caller already has it, e.g. from a worker thread).
 */
export function inboxJobIdOf(
  beskedId: string | null,
  body: Uint8Array,
  bodySha256?: string,
): { jobId: string; beskedId: string | null } {
  if (beskedId === null || beskedId === '') {
    return { jobId: `raw-${bodySha256 ?? sha256(body)}`, beskedId: null };
  }
  if (/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(beskedId)) {
    return { jobId: `b-${beskedId.toLowerCase()}`, beskedId };
  }
  return { jobId: `h-${sha256(beskedId)}`, beskedId };
}

function sha256(input: Uint8Array | string): string {
  return createHash('sha256').update(input).digest('hex');
}
