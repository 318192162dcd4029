import * as ns from './namespaces';
import { addChild, newNode, type Segment, type XNode } from './xml-tree';

/**
 * How an element's children are read into the XNode tree; the same for both envelope readers
 * (envelope-scanner.ts on the hot path, xml-reader.ts with saxes as the reference).
 */
export const MODE_TREE = 0; // envelope elements become nodes, others are skipped
export const MODE_BESKEDDATA = 1; // Base64 becomes a node, anything else is captured as payload XML
export const MODE_CAPTURE_ALL = 2; // *Signatur: the ds:Signature is captured as XML
export const MODE_CAPTURE_FOREIGN = 3; // *LokalUdvidelse: kuvert elements are nodes, foreign ones captured
export const MODE_TEXT_ONLY = 4; // Base64: text only

// Plain local constants: imported bindings compile to getter calls under CJS, measurable per element.
const NS_BASE64: string = ns.NS_BASE64;
const NS_KUVERT: string = ns.NS_KUVERT;

/** How the children of an element are read, fixed when the element is created. */
export function modeOf(uri: string, local: string): number {
  if (uri === NS_KUVERT) {
    switch (local) {
      case 'Beskeddata':
        return MODE_BESKEDDATA;
      case 'BeskedfordelerSignatur':
      case 'AfsenderSystemSignatur':
        return MODE_CAPTURE_ALL;
      case 'LeveranceinformationLokalUdvidelse':
      case 'LeveranceruteLokalUdvidelse':
      case 'ObjektRegistreringLokalUdvidelse':
        return MODE_CAPTURE_FOREIGN;
      default:
        return MODE_TREE;
    }
  }
  return uri === NS_BASE64 ? MODE_TEXT_ONLY : MODE_TREE;
}

/** An attribute value as it is written into a captured element's start tag. */
export function escapeAttr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
}

/** What both readers know of an element captured as text when it closes. */
export interface FinishedCapture {
  readonly start: number;
  readonly insertAt: number;
  /** Outside namespace bindings the captured text uses, to be declared on its start tag. */
  readonly needed: Map<string, string> | undefined;
  readonly parent: XNode;
  readonly asSegment: boolean;
  readonly ns: string;
  readonly local: string;
}

/**
 * The captured element's text, `xml[start, end)`, made self-contained (the outside declarations it
 * needs written into its start tag) and put where it goes: a Beskeddata segment or a parent's child.
 */
export function placeCapture(xml: string, c: FinishedCapture, end: number): void {
  let raw: string;
  if (c.needed === undefined) {
    raw = xml.slice(c.start, end);
  } else {
    let decls = '';
    for (const [p, uri] of c.needed) decls += ` ${p === '' ? 'xmlns' : `xmlns:${p}`}="${escapeAttr(uri)}"`;
    raw = xml.slice(c.start, c.insertAt) + decls + xml.slice(c.insertAt, end);
  }
  if (c.asSegment) {
    const seg: Segment = { start: c.start, end, raw };
    (c.parent.segments ??= []).push(seg);
  } else {
    const node = newNode(c.ns, c.local, MODE_TREE);
    node.raw = raw.indexOf('\r') < 0 ? raw : raw.replace(/\r\n?/g, '\n');
    addChild(c.parent, node);
  }
}
