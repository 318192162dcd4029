import type { Haendelsesbesked } from './besked-model';
import { decodeInput } from './decode-input';
import { readEnvelope } from './envelope-reader';
import { DEFAULT_MAX_BYTES, type ParseOptions } from './parse-options';
import { readXml } from './xml-reader';

/**
 * Parses a Haendelsesbesked, or a ModtagBeskedInput push body wrapping one, into the typed model.
 * Throws BeskedError (codes in error-codes.ts) for anything it cannot trust.
 */
export function parseBesked(input: string | Uint8Array, options?: ParseOptions): Haendelsesbesked {
  const xml = decodeInput(input, options?.maxBytes ?? DEFAULT_MAX_BYTES);
  const { root } = readXml(xml, typeof input !== 'string');
  return readEnvelope(xml, root);
}
