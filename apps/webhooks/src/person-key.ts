import { createHash } from 'node:crypto';
import type { CprCloudEvent } from '@cprh/besked';

/**
 * The person an event is about, for per-person order: the first CPR number in
 * data.registreringer, else the event id (an event about no person is ordered alone).
 * One function, so the pipeline's own person key (the ordering work) can replace it.
 */
export function personKeyOf(event: CprCloudEvent): string {
  for (const r of event.data?.registreringer ?? []) {
    if (typeof r.cpr === 'string' && r.cpr !== '') return cprPersonKey(r.cpr);
  }
  return `id:${event.id}`;
}

/** The person key of a CPR number (ten digits, as the CloudEvent carries it). */
export function cprPersonKey(cpr: string): string {
  return `cpr:${cpr}`;
}

/** The person key as it appears in Redis key names: a digest, so no CPR number is in a key. */
export function personSlot(personKey: string): string {
  return createHash('sha256').update(personKey).digest('base64url').slice(0, 22);
}
