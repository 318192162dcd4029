import { isUtf8 } from 'node:buffer';
import { decodeSingleByte, firstInvalidUtf8 } from './decode-input';
import type { TextEncoding } from './text-encoding';

/**
 * The text the id peeks read (peek-envelope-ids.ts): only what decodes. A BeskedId before bad
 * bytes (in the payload, say) is still read exactly, so the message keeps its BeskedId job id and
 * the worker dead-letters it under that id. Both peeks see the same text: valid UTF-8 up to the
 * first invalid byte; UTF-16 in 16 KiB chunks up to the first chunk that does not decode; single-
 * byte encodings whole.
 */
const CHUNK = 16 * 1024;
/**
 * Valid UTF-8 and single-byte text cannot fail to decode, so the saxes peek gets it in small
 * pieces as it reads: the first CPR number comes ~600 bytes into a 5 KB envelope, and decoding the
 * whole body up front (a TextDecoder per message) was a fifth of that peek's time (issue 23).
 */
const PIECE = 1024;

/** Where valid UTF-8 ends. */
export function validUtf8End(bytes: Uint8Array): number {
  if (isUtf8(bytes)) return bytes.byteLength; // native, the common case
  return firstInvalidUtf8(bytes) ?? bytes.byteLength;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Decodes consecutive chunks (multi-byte characters may span two); throws on invalid bytes. */
function chunkDecoder(encoding: TextEncoding): (chunk: Uint8Array) => string {
  if (encoding === 'windows-1252') return (c) => decodeSingleByte(c, encoding);
  if (encoding === 'ISO-8859-1' || encoding === 'US-ASCII') return (c) => decodeSingleByte(c, 'ISO-8859-1');
  const decoder = new TextDecoder(encoding.toLowerCase(), { fatal: true, ignoreBOM: true });
  return (c) => decoder.decode(c, { stream: true });
}

/**
 * Feeds the peek text of bytes[start, ...) to `write` piece by piece, in `encoding` (the document's,
 * from detectEncoding); stops by throwing where a UTF-16 chunk does not decode.
 */
export function feedPeekText(
  bytes: Uint8Array,
  encoding: TextEncoding,
  start: number,
  write: (text: string) => void,
): void {
  if (encoding === 'UTF-8') {
    // Valid up to `end`: Buffer's decoder gives the same text, without a converter.
    const buf = asBuffer(bytes);
    const end = validUtf8End(bytes);
    for (let i = start; i < end;) {
      let j = Math.min(i + PIECE, end);
      while (j < end && (buf[j]! & 0xc0) === 0x80) j--; // a piece ends before a character starts
      write(buf.toString('utf8', i, j));
      i = j;
    }
    return;
  }
  const decode = chunkDecoder(encoding);
  const size = encoding === 'UTF-16LE' || encoding === 'UTF-16BE' ? CHUNK : PIECE;
  const end = bytes.byteLength;
  for (let i = start; i < end; i += size) write(decode(bytes.subarray(i, Math.min(i + size, end))));
}

/**
 * The whole peek text at once (what feedPeekText would write, joined), up to `limit` bytes of
 * UTF-8 (cut before a character); `complete` says whether that was all of it.
 */
export function peekText(
  bytes: Uint8Array,
  encoding: TextEncoding,
  start: number,
  limit: number,
): { text: string; complete: boolean } {
  if (encoding === 'UTF-8') {
    const buf = asBuffer(bytes);
    let end = Math.min(bytes.byteLength, start + limit);
    while (end < bytes.byteLength && end > start && (buf[end]! & 0xc0) === 0x80) end--;
    if (end < bytes.byteLength) {
      // A prefix: valid when no invalid byte comes before its end.
      const valid = validUtf8End(buf.subarray(0, end));
      return { text: buf.toString('utf8', start, valid), complete: valid < end };
    }
    return { text: buf.toString('utf8', start, validUtf8End(bytes)), complete: true };
  }
  const parts: string[] = [];
  try {
    feedPeekText(bytes, encoding, start, (t) => parts.push(t));
  } catch {
    // The text ends before the first chunk that does not decode, as the saxes peek's does.
  }
  return { text: parts.join(''), complete: true };
}
