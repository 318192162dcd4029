import type { Haendelsesbesked } from './besked-model';
import { decodeInput } from './decode-input';
import { readEnvelope } from './envelope-reader';
import { DEFAULT_MAX_BYTES, type ParseOptions } from './parse-options';
import { scanEnvelope } from './envelope-scanner';

/**
 * Parses a Haendelsesbesked, or a ModtagBeskedInput push body wrapping one, into the typed model.
 * Takes the exact bytes received (decoded here, see decode-input.ts; a string counts as its UTF-8).
 * Throws BeskedError (codes in error-codes.ts) for anything it cannot trust. The envelope is read by
 * envelope-scanner.ts (saxes in xml-reader.ts is the reference it is tested against).
 */
export function parseBesked(input: Uint8Array | string, options?: ParseOptions): Haendelsesbesked {
  const { text: xml, encoding } = decodeInput(input, options?.maxBytes ?? DEFAULT_MAX_BYTES);
  return readEnvelope(xml, scanEnvelope(xml, encoding));
}
