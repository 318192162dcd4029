import { SaxesParser } from 'saxes';
import type { EnvelopeIds } from './envelope-ids';
import { cprOf, idString } from './ids';
import { NS_KUVERT, NS_SAGDOK, NS_STS } from './namespaces';
import { feedPeekText } from './peek-text';
import { detectEncoding } from './text-encoding';
import { checkPendingAttributes, checkTagAttributes, MAX_DEPTH, MAX_ELEMENTS } from './xml-reader';

/**
 * Thrown inside saxes handlers to stop reading early; never escapes peekWithSaxes. One instance:
 * building an Error (and its stack) per message measured ~5% of the poller's busy time.
 */
class Stop extends Error {}
const STOP = new Stop();

/**
 * peekEnvelopeIds on saxes: the reference the scanner's peek (peek-with-scanner.ts) is held to
 * (test/peek-differential.test.ts), and the reader of documents that declare XML 1.1.
 */
export function peekWithSaxes(input: Uint8Array | string, want: { cpr: boolean }): EnvelopeIds {
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
        if (out.cpr === null) out.cpr = cprOf({ kind: 'urn', value });
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
    feedPeekText(bytes, encoding, start, (piece) => {
      parser.write(piece);
      checkPendingAttributes(parser); // a start tag of a million attributes is stopped mid-tag
    });
    parser.close();
  } catch {
    return out;
  }
  return out;
}
