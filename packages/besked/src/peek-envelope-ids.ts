import { SaxesParser } from 'saxes';
import { NS_KUVERT, NS_SAGDOK, NS_STS } from './namespaces';
import { isUtf8 } from 'node:buffer';
import { decodeSingleByte, firstInvalidUtf8 } from './decode-input';
import { idString } from './ids';
import { detectEncoding, type TextEncoding } from './text-encoding';
import { checkPendingAttributes, checkTagAttributes, MAX_DEPTH, MAX_ELEMENTS } from './xml-reader';

const CHUNK = 16 * 1024;
/**
 * Valid UTF-8 and single-byte text cannot fail to decode, so it is decoded in small pieces as the
 * parser needs them: the first CPR number comes ~600 bytes into a 5 KB envelope, and decoding the
 * whole body up front (a TextDecoder per message) was a fifth of this function's time (issue 23).
 * UTF-16 keeps 16 KiB chunks decoded before they are parsed: a later piece could hold invalid
 * bytes that such a chunk refuses, and what is found must stay the same.
 */
const PIECE = 1024;

/** Decodes consecutive chunks (multi-byte characters may span two); throws on invalid bytes. */
function chunkDecoder(encoding: TextEncoding): (chunk: Uint8Array) => string {
  if (encoding === 'windows-1252') return (c) => decodeSingleByte(c, encoding);
  if (encoding === 'ISO-8859-1' || encoding === 'US-ASCII') return (c) => decodeSingleByte(c, 'ISO-8859-1');
  const decoder = new TextDecoder(encoding.toLowerCase(), { fatal: true, ignoreBOM: true });
  return (c) => decoder.decode(c, { stream: true });
}

/** Feeds the text of bytes[start, end) to `write` piece by piece (see PIECE and CHUNK). */
function feed(
  bytes: Uint8Array,
  encoding: TextEncoding,
  start: number,
  end: number,
  write: (text: string) => void,
): void {
  if (encoding === 'UTF-8') {
    // Valid up to `end` (validUtf8End): Buffer's decoder gives the same text, without a converter.
    const buf = Buffer.isBuffer(bytes)
      ? bytes
      : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
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
  for (let i = start; i < end; i += size) write(decode(bytes.subarray(i, Math.min(i + size, end))));
}

/**
 * Where valid UTF-8 ends: a BeskedId before bad bytes (in the payload, say) is still read exactly,
 * so the message keeps its BeskedId job id and the worker dead-letters it under that id.
 */
function validUtf8End(bytes: Uint8Array): number {
  if (isUtf8(bytes)) return bytes.byteLength; // native, the common case
  return firstInvalidUtf8(bytes) ?? bytes.byteLength;
}

/**
 * Thrown inside saxes handlers to stop reading early; never escapes peekEnvelopeIds. One instance:
 * building an Error (and its stack) per message measured ~5% of the poller's busy time.
 */
class Stop extends Error {}
const STOP = new Stop();

/** What the inbox needs from a message before it is parsed: its BeskedId and its person. */
export interface EnvelopeIds {
  /** As the CloudEvent writes it (UUID lower-case, URN as given); null when it cannot be read. */
  beskedId: string | null;
  /**
   * The first CPR number the envelope names: the ten digits of the first `urn:oio:cpr-nr:` ObjektId
   * of a RelateretObjekt or ObjektRegistrering in Filtreringsdata (document order); null when none.
   * Sensitive: callers hash it before it goes anywhere (see the inbox's person key).
   */
  cpr: string | null;
}

const CPR_URN = /^urn:oio:cpr-nr:(\d{10})$/i;

/**
 * Cheap reading of the envelope's BeskedId and first CPR number, for the inbox (job id, person
 * key): the same strict, namespace-aware parser as parseBesked, but it stops at the first CPR
 * number (or when Filtreringsdata ends, or at once after the BeskedId with `cpr: false`), so the
 * payload in Beskeddata is never read. Never throws: what was found before an error is returned.
 */
export function peekEnvelopeIds(
  input: Uint8Array | string,
  want: { cpr: boolean } = { cpr: true },
): EnvelopeIds {
  const parser = new SaxesParser({ xmlns: true });
  const HB = `${NS_KUVERT} Haendelsesbesked`;
  const MBI = `${NS_STS} ModtagBeskedInput`;
  const ID = `${NS_KUVERT} BeskedId`;
  const KUVERT = `${NS_KUVERT} Beskedkuvert`;
  const FILTER = `${NS_KUVERT} Filtreringsdata`;
  const RO = `${NS_KUVERT} RelateretObjekt`;
  const OR = `${NS_KUVERT} ObjektRegistrering`;
  const OBJEKT_ID = `${NS_KUVERT} ObjektId`;
  const URN = `${NS_SAGDOK} URNIdentifikator`;
  const path: string[] = [];
  // What the text being collected is: the BeskedId (uuid/urn) or an ObjektId URN.
  let collecting: 'uuid' | 'urn' | 'objekt' | undefined;
  let text = '';
  const out: EnvelopeIds = { beskedId: null, cpr: null };
  let elements = 0;
  const done = (): boolean => out.beskedId !== null && (!want.cpr || out.cpr !== null);

  // Few handlers on purpose (see xml-reader.ts); saxes throws its own errors, caught below.
  parser.on('doctype', () => {
    throw STOP;
  });
  parser.on('opentag', (tag) => {
    const name = `${tag.uri} ${tag.local}`;
    path.push(name);
    if (path.length > MAX_DEPTH || ++elements > MAX_ELEMENTS) throw STOP; // bounded work, as in xml-reader
    checkTagAttributes(tag); // throws BESKED_TOO_LARGE: caught below like Stop
    if (path.length === 1 && path[0] !== HB && path[0] !== MBI) throw STOP;
    const base = path[0] === MBI ? 1 : 0;
    if (path[base] !== HB) return;
    const depth = path.length - base;
    if (
      depth === 3 &&
      path[base + 1] === ID &&
      tag.uri === NS_SAGDOK &&
      (tag.local === 'UUIDIdentifikator' || tag.local === 'URNIdentifikator')
    ) {
      collecting = tag.local === 'UUIDIdentifikator' ? 'uuid' : 'urn';
      text = '';
    } else if (
      depth === 6 &&
      name === URN &&
      path[base + 4] === OBJEKT_ID &&
      (path[base + 3] === RO || path[base + 3] === OR) &&
      path[base + 2] === FILTER &&
      path[base + 1] === KUVERT
    ) {
      collecting = 'objekt';
      text = '';
    }
  });
  parser.on('text', (t) => {
    if (collecting !== undefined) text += t;
  });
  parser.on('cdata', (t) => {
    if (collecting !== undefined) text += t;
  });
  parser.on('closetag', () => {
    if (collecting !== undefined) {
      const value = text.trim();
      if (collecting === 'objekt') {
        if (out.cpr === null) out.cpr = CPR_URN.exec(value)?.[1] ?? null;
      } else if (value !== '' && out.beskedId === null) {
        out.beskedId = idString({ kind: collecting, value });
      }
      collecting = undefined;
      if (done()) throw STOP;
    }
    const closed = path.pop();
    // Everything this reads is in the BeskedId and Filtreringsdata, before the payload.
    if ((closed === FILTER || closed === KUVERT) && out.beskedId !== null) throw STOP;
  });

  try {
    const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
    const { encoding, start } = detectEncoding(bytes); // the parser's own decision, see decode-input
    const end = encoding === 'UTF-8' ? validUtf8End(bytes) : bytes.byteLength;
    feed(bytes, encoding, start, end, (text) => {
      parser.write(text);
      checkPendingAttributes(parser); // a start tag of a million attributes is stopped mid-tag
    });
    parser.close();
  } catch {
    return out;
  }
  return out;
}

/**
 * The BeskedId alone (peekEnvelopeIds without the CPR number: reads only until the id is found),
 * as the CloudEvent writes it, or null when it cannot be read. Never throws. The one way to read
 * a BeskedId from bytes: the CLI, the pipeline and the tests all use it.
 */
export function peekBeskedId(input: Uint8Array | string): string | null {
  return peekEnvelopeIds(input, { cpr: false }).beskedId;
}
