import { peekEnvelopeIds } from './peek-envelope-ids';

/**
 * Cheap BeskedId extraction: reads only until the id is found (peekEnvelopeIds without the CPR
 * number). Returns the id as the CloudEvent writes it (UUID lower-case, URN as given), or null when
 * it cannot be read (no id, wrong root, DOCTYPE, malformed before it). Never throws.
 */
export function peekBeskedId(input: Uint8Array | string): string | null {
  return peekEnvelopeIds(input, { cpr: false }).beskedId;
}
