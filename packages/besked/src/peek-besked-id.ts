import { SaxesParser } from 'saxes';
import { NS_KUVERT, NS_SAGDOK, NS_STS } from './namespaces';
import { isUtf8 } from 'node:buffer';
import { decodeSingleByte, firstInvalidUtf8 } from './decode-input';
import { detectEncoding, type TextEncoding } from './text-encoding';
import { checkPendingAttributes, checkTagAttributes, MAX_DEPTH, MAX_ELEMENTS } from './xml-reader';

const CHUNK = 16 * 1024;

/** Decodes consecutive chunks (multi-byte characters may span two); throws on invalid bytes. */
function chunkDecoder(encoding: TextEncoding): (chunk: Uint8Array) => string {
  if (encoding === 'windows-1252') return (c) => decodeSingleByte(c, encoding);
  if (encoding === 'ISO-8859-1' || encoding === 'US-ASCII') return (c) => decodeSingleByte(c, 'ISO-8859-1');
  const decoder = new TextDecoder(encoding.toLowerCase(), { fatal: true, ignoreBOM: true });
  return (c) => decoder.decode(c, { stream: true });
}

/**
 * Where valid UTF-8 ends: a BeskedId before bad bytes (in the payload, say) is still read exactly,
 * so the message keeps its BeskedId job id and the worker dead-letters it under that id.
 */
function validUtf8End(bytes: Uint8Array): number {
  if (isUtf8(bytes)) return bytes.byteLength; // native, the common case
  return firstInvalidUtf8(bytes) ?? bytes.byteLength;
}

/** Thrown inside saxes handlers to stop reading early; never escapes peekBeskedId. */
class Stop extends Error {}

/**
 * Cheap BeskedId extraction for the poller (job id): reads only until the id is found, with the
 * same strict, namespace-aware parser. Returns the id as the CloudEvent writes it (UUID lower-case,
 * URN as given), or null when it cannot be read (no id, wrong root, DOCTYPE, malformed before it).
 * Never throws.
 */
export function peekBeskedId(input: Uint8Array | string): string | null {
  const parser = new SaxesParser({ xmlns: true });
  const HB = `${NS_KUVERT} Haendelsesbesked`;
  const MBI = `${NS_STS} ModtagBeskedInput`;
  const ID = `${NS_KUVERT} BeskedId`;
  const path: string[] = [];
  let idKind: 'uuid' | 'urn' | undefined;
  let text = '';
  let result: string | null = null;
  let elements = 0;

  // Few handlers on purpose (see xml-reader.ts); saxes throws its own errors, caught below.
  parser.on('doctype', () => {
    throw new Stop();
  });
  parser.on('opentag', (tag) => {
    path.push(`${tag.uri} ${tag.local}`);
    if (path.length > MAX_DEPTH || ++elements > MAX_ELEMENTS) throw new Stop(); // bounded work, as in xml-reader
    checkTagAttributes(tag); // throws BESKED_TOO_LARGE: caught below like Stop
    if (path.length === 1 && path[0] !== HB && path[0] !== MBI) throw new Stop();
    const base = path[0] === MBI ? 1 : 0;
    if (
      path.length === base + 3 &&
      path[base] === HB &&
      path[base + 1] === ID &&
      tag.uri === NS_SAGDOK &&
      (tag.local === 'UUIDIdentifikator' || tag.local === 'URNIdentifikator')
    ) {
      idKind = tag.local === 'UUIDIdentifikator' ? 'uuid' : 'urn';
      text = '';
    }
  });
  parser.on('text', (t) => {
    if (idKind !== undefined) text += t;
  });
  parser.on('cdata', (t) => {
    if (idKind !== undefined) text += t;
  });
  parser.on('closetag', () => {
    if (idKind !== undefined) {
      const value = text.trim();
      if (value !== '') {
        result = idKind === 'uuid' ? value.toLowerCase() : value;
        throw new Stop();
      }
      idKind = undefined;
    }
    path.pop();
  });

  try {
    const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
    const { encoding, start } = detectEncoding(bytes); // the parser's own decision, see decode-input
    const end = encoding === 'UTF-8' ? validUtf8End(bytes) : bytes.byteLength;
    const decode = chunkDecoder(encoding);
    for (let i = start; i < end; i += CHUNK) {
      parser.write(decode(bytes.subarray(i, Math.min(i + CHUNK, end))));
      checkPendingAttributes(parser);
    }
    parser.close();
  } catch {
    return result;
  }
  return result;
}
