import { BeskedError } from './besked-error';

const UTF8_STRICT = new TextDecoder('utf-8', { fatal: true }); // also drops a leading BOM

/** Byte length check (before any parsing) and bytes -> text; a leading BOM is removed. */
export function decodeInput(input: string | Uint8Array, maxBytes: number): string {
  if (typeof input === 'string') {
    // Cheap bound first: a UTF-8 encoding is at most 3 bytes per UTF-16 unit.
    if (input.length * 3 > maxBytes && Buffer.byteLength(input, 'utf8') > maxBytes) throw tooLarge(maxBytes);
    return input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  }
  if (input.byteLength > maxBytes) throw tooLarge(maxBytes);
  try {
    return UTF8_STRICT.decode(input);
  } catch {
    throw new BeskedError('BESKED_XML_MALFORMED', 'input is not valid UTF-8');
  }
}

function tooLarge(maxBytes: number): BeskedError {
  return new BeskedError('BESKED_TOO_LARGE', `message is larger than the limit of ${maxBytes} bytes`);
}
