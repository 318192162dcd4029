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
  const jobId = jobIdOf(body, beskedId);
  return { jobId, beskedId: beskedId === '' ? null : beskedId, person: personKey(cpr, jobId) };
}

function jobIdOf(body: Uint8Array, beskedId: string | null): string {
  if (beskedId === null || beskedId === '') return `raw-${sha256(body)}`;
  if (/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(beskedId)) return `b-${beskedId.toLowerCase()}`;
  return `h-${sha256(beskedId)}`;
}

function sha256(input: Uint8Array | string): string {
  return createHash('sha256').update(input).digest('hex');
}
