import { BeskedError } from './besked-error';
import { decodeInput } from './decode-input';
import { modtagBeskedInputContent } from './modtag-besked-input';
import { cprOf, idString, unikId } from './ids';
import { NS_KUVERT, NS_SAGDOK, NS_STS } from './namespaces';
import { scanEnvelope } from './envelope-scanner';
import type { XNode } from './xml-tree';

/**
 * What the push receiver needs to know about a body before it answers:
 * - `ok`: well-formed, no DTD, a known root, a BeskedId: store it in the inbox (the worker parses the
 *   rest), with the BeskedId and the first CPR number it names (peekEnvelopeIds' rule) read in this
 *   one pass, so nothing reads the body again before the worker;
 * - `unreadable`: bytes not valid in their encoding, not well-formed, a DTD or entity, an unknown root, or too large or deep:
 *   kept as a dead letter, answered with StatusKode 40;
 * - `incomplete`: well-formed but without Haendelsesbesked or BeskedId, or not the one Haendelsesbesked
 *   the schema allows in a ModtagBeskedInput (two of them, another element): answered with HTTP 400.
 */
export type PushBodyCheck =
  | {
      readonly kind: 'ok';
      readonly beskedId: string;
      /** Sensitive: the caller turns it into the person key (never logs or stores it). */
      readonly cpr: string | null;
    }
  | { readonly kind: 'unreadable' | 'incomplete'; readonly error: BeskedError };

function child(node: XNode | undefined, ns: string, local: string): XNode | undefined {
  for (const c of node?.children ?? []) if (c.ns === ns && c.local === local) return c;
  return undefined;
}

/**
 * The first CPR number the envelope names, by peekEnvelopeIds' rule: the first `urn:oio:cpr-nr:`
 * ObjektId of a RelateretObjekt or ObjektRegistrering in Filtreringsdata, in document order.
 */
function firstCpr(besked: XNode): string | null {
  const filter = child(child(besked, NS_KUVERT, 'Beskedkuvert'), NS_KUVERT, 'Filtreringsdata');
  for (const o of filter?.children ?? []) {
    if (o.ns !== NS_KUVERT || (o.local !== 'RelateretObjekt' && o.local !== 'ObjektRegistrering')) continue;
    for (const id of o.children) {
      if (id.ns !== NS_KUVERT || id.local !== 'ObjektId') continue;
      for (const u of id.children) {
        if (u.ns !== NS_SAGDOK || u.local !== 'URNIdentifikator') continue;
        const cpr = cprOf({ kind: 'urn', value: u.text.trim() });
        if (cpr !== null) return cpr;
      }
    }
  }
  return null;
}

function incomplete(path: string, message: string): PushBodyCheck {
  return { kind: 'incomplete', error: new BeskedError('BESKED_FIELD_MISSING', message, { path }) };
}

/**
 * Reads the whole body with the parser's strict scanner (so a body cut after its BeskedId is not
 * taken for a good one) and finds the BeskedId, written as the CloudEvent writes it, and the first
 * CPR number (the person key's input). Pure; never throws.
 */
export function checkPushBody(input: Uint8Array, maxBytes: number): PushBodyCheck {
  let root: XNode;
  try {
    const { text, encoding } = decodeInput(input, maxBytes);
    root = scanEnvelope(text, encoding);
  } catch (err) {
    if (err instanceof BeskedError) return { kind: 'unreadable', error: err };
    return {
      kind: 'unreadable',
      error: new BeskedError('BESKED_XML_MALFORMED', 'the body could not be read', { cause: err }),
    };
  }
  let besked = root;
  let path = 'Haendelsesbesked';
  if (root.ns === NS_STS) {
    path = 'ModtagBeskedInput/Haendelsesbesked';
    try {
      besked = modtagBeskedInputContent(root);
    } catch (err) {
      return { kind: 'incomplete', error: err as BeskedError };
    }
  }
  const idNode = child(besked, NS_KUVERT, 'BeskedId');
  if (idNode === undefined)
    return incomplete(`${path}/BeskedId`, `required element ${path}/BeskedId is missing`);
  const id = unikId(idNode);
  if (id === undefined) {
    return incomplete(`${path}/BeskedId`, `${path}/BeskedId has no UUIDIdentifikator or URNIdentifikator`);
  }
  return { kind: 'ok', beskedId: idString(id), cpr: firstCpr(besked) };
}
