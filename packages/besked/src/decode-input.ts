import { BeskedError } from './besked-error';
import { detectEncoding, detectEncodingOfAscii, type TextEncoding } from './text-encoding';

/** The message as text, without a BOM, and the encoding it was read in. */
export interface DecodedInput {
  text: string;
  encoding: TextEncoding;
}

// ignoreBOM: the BOM is already skipped; a second U+FEFF would be content (and saxes refuses it).
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const UTF16LE = new TextDecoder('utf-16le', { fatal: true, ignoreBOM: true });
const UTF16BE = new TextDecoder('utf-16be', { fatal: true, ignoreBOM: true });

/**
 * windows-1252 bytes 0x80-0x9F (WHATWG's table; the five unassigned ones stay C1 controls). Not
 * TextDecoder: Node 20 decodes 'windows-1252' as ISO-8859-1 (0x80 gives U+0080, not €).
 */
const CP1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/** A single-byte encoding's bytes as text (no state across chunks, so also used for chunks). */
export function decodeSingleByte(bytes: Uint8Array, encoding: 'ISO-8859-1' | 'windows-1252'): string {
  // Buffer's latin1 is true ISO-8859-1 (WHATWG's TextDecoder label iso-8859-1 means windows-1252).
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return encoding === 'ISO-8859-1'
    ? text
    : text.replace(/[\x80-\x9f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!);
}

/**
 * The one place a message's bytes become text, for every path (worker, `cprh inspect`, dead-letter
 * replay): size limit first, then BOM / XML declaration / UTF-8 by default (see text-encoding.ts).
 * Bytes that are not valid in their encoding are refused (BESKED_ENCODING_INVALID), never replaced.
 * A string is taken as its UTF-8 bytes (tests, generated XML); services pass the bytes they got.
 */
export function decodeInput(input: string | Uint8Array, maxBytes: number): DecodedInput {
  if (typeof input === 'string' && Buffer.byteLength(input, 'utf8') === input.length) {
    // ASCII: the text is its own bytes' decoding in every encoding read here that ASCII text can be
    // in (UTF-16 needs a BOM), so the worker's stored body is read without making bytes of it
    // (Buffer.from of a 6 KB body measured ~3.7 µs, the decoding ~1 µs more).
    if (input.length > maxBytes) throw tooLarge(maxBytes);
    return { text: input, encoding: detectEncodingOfAscii(input).encoding };
  }
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  if (bytes.byteLength > maxBytes) throw tooLarge(maxBytes);
  const { encoding, start } = detectEncoding(bytes);
  const body = bytes.subarray(start);
  return { text: decodeAs(body, encoding), encoding };
}

function decodeAs(body: Uint8Array, encoding: TextEncoding): string {
  switch (encoding) {
    case 'ISO-8859-1':
    case 'windows-1252':
      return decodeSingleByte(body, encoding);
    case 'US-ASCII': {
      const at = body.findIndex((b) => b > 0x7f);
      if (at >= 0) throw notValid(encoding, at);
      return decodeSingleByte(body, 'ISO-8859-1');
    }
    default:
      try {
        return (encoding === 'UTF-8' ? UTF8 : encoding === 'UTF-16LE' ? UTF16LE : UTF16BE).decode(body);
      } catch {
        throw notValid(encoding, encoding === 'UTF-8' ? firstInvalidUtf8(body) : undefined);
      }
  }
}

function tooLarge(maxBytes: number): BeskedError {
  return new BeskedError('BESKED_TOO_LARGE', `message is larger than the limit of ${maxBytes} bytes`);
}

function notValid(encoding: TextEncoding, at: number | undefined): BeskedError {
  const where = at === undefined ? '' : ` (first invalid byte sequence at offset ${at})`;
  return new BeskedError('BESKED_ENCODING_INVALID', `the message is not valid ${encoding}${where}`);
}

/** Offset of the first byte sequence that is not UTF-8 (RFC 3629: no overlongs, surrogates, > U+10FFFF). */
export function firstInvalidUtf8(b: Uint8Array): number | undefined {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= n; k++) {
      const d = b[i + k];
      if (d === undefined || d < (k === 1 ? lo : 0x80) || d > (k === 1 ? hi : 0xbf)) return i;
    }
    i += n + 1;
  }
  return undefined;
}
