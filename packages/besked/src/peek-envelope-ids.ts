import type { EnvelopeIds } from './envelope-ids';
import { peekWithSaxes } from './peek-with-saxes';
import { peekWithScanner } from './peek-with-scanner';

export type { EnvelopeIds } from './envelope-ids';

/**
 * Cheap reading of the envelope's BeskedId and first CPR number, for the inbox (job id, person
 * key): the same strict, namespace-aware reading as parseBesked (the envelope scanner; saxes for a
 * document that declares XML 1.1), but it stops at the first CPR number (or when Filtreringsdata
 * ends, or at once after the BeskedId with `cpr: false`), so the payload in Beskeddata is never
 * read. Never throws: what was found before an error is returned.
 */
export function peekEnvelopeIds(
  input: Uint8Array | string,
  want: { cpr: boolean } = { cpr: true },
): EnvelopeIds {
  return peekWithScanner(input, want) ?? peekWithSaxes(input, want);
}

/**
 * The BeskedId alone (peekEnvelopeIds without the CPR number: reads only until the id is found),
 * as the CloudEvent writes it, or null when it cannot be read. Never throws. The one way to read
 * a BeskedId from bytes: the CLI, the pipeline and the tests all use it.
 */
export function peekBeskedId(input: Uint8Array | string): string | null {
  return peekEnvelopeIds(input, { cpr: false }).beskedId;
}
