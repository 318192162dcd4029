import { SaxesParser } from 'saxes';
import { NS_KUVERT, NS_SAGDOK, NS_STS } from './namespaces';
import { MAX_DEPTH, MAX_ELEMENTS } from './xml-reader';

const CHUNK = 16 * 1024;

/** Thrown inside saxes handlers to stop reading early; never escapes peekBeskedId. */
class Stop extends Error {}

/**
 * Cheap BeskedId extraction for the poller (job id): reads only until the id is found, with the
 * same strict, namespace-aware parser. Returns the id as the CloudEvent writes it (UUID lower-case,
 * URN as given), or null when it cannot be read (no id, wrong root, DOCTYPE, malformed before it).
 * Never throws.
 */
export function peekBeskedId(input: string | Uint8Array): string | null {
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
    if (typeof input === 'string') {
      const s = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
      for (let i = 0; i < s.length; i += CHUNK) parser.write(s.slice(i, i + CHUNK));
    } else {
      const decoder = new TextDecoder('utf-8', { fatal: true });
      for (let i = 0; i < input.byteLength; i += CHUNK) {
        parser.write(decoder.decode(input.subarray(i, i + CHUNK), { stream: true }));
      }
    }
    parser.close();
  } catch {
    return result;
  }
  return result;
}
