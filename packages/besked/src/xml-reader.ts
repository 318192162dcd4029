import { SaxesParser, type SaxesTagNS } from 'saxes';
import { BeskedError } from './besked-error';
import * as ns from './namespaces';
import { BASE64_TEXT } from './base64-payload';
import { addChild, newNode, type XNode } from './xml-tree';
import { declarationAgrees, type TextEncoding } from './text-encoding';
import {
  placeCapture,
  MODE_BESKEDDATA,
  MODE_CAPTURE_ALL,
  MODE_CAPTURE_FOREIGN,
  MODE_TEXT_ONLY,
  MODE_TREE,
  modeOf,
} from './envelope-modes';
import { dtdForbidden, malformedAt } from './xml-error';

/**
 * Strict, namespace-aware reading of an envelope with saxes (see the README for the measured choice).
 * Builds an XNode tree of the envelope's own elements (kuvert, sagdok, sts namespaces). Payload and
 * extension elements are not built as nodes: their source text is sliced out and made
 * self-contained (namespace declarations from outside that they use are added to their start tag).
 * A DOCTYPE aborts reading at the root element at the latest (saxes only skims a DOCTYPE as text
 * and never expands entities beyond the five predefined ones and character references).
 *
 * Only five saxes handlers are set, on purpose: saxes stores handlers as properties on the parser,
 * and from about seven of them V8 turns the parser object into a slow dictionary-mode object,
 * which measured 5-8x slower. Errors are taken from saxes' own throw, the encoding from its
 * `xmlDecl` field. One parser with its handlers is reused across calls (a parse that threw
 * leaves saxes in an unknown state, so that parser is dropped).
 */

// Plain local constants: imported bindings compile to getter calls under CJS, measurable per element.
const NS_BASE64: string = ns.NS_BASE64;
const NS_KUVERT: string = ns.NS_KUVERT;
const NS_SAGDOK: string = ns.NS_SAGDOK;
const NS_STS: string = ns.NS_STS;
const NS_XSI: string = ns.NS_XSI;

/**
 * Deepest element nesting accepted (envelope ~6 levels plus the payload). saxes resolves each prefix
 * by walking up the open elements, so unbounded depth would let 10 MiB cost minutes.
 */
export const MAX_DEPTH = 100;

/**
 * Most elements accepted in one message (a real one has under a thousand; Base64 payloads are text).
 * Together with MAX_DEPTH this bounds saxes' prefix resolution, measured at ~5 s for 2.5 million
 * elements at depth 95 (10 MiB); at the limits it stays well under a second.
 */
export const MAX_ELEMENTS = 100_000;

/**
 * Most attributes on one element (namespace declarations included) and most namespace declarations
 * on one element. A real envelope has a handful; saxes spends ~2-5 µs on each attribute (40x a byte
 * of text), so 5.8 MB of declarations took seconds. Checked while a start tag is still being read
 * (see feed()), so a start tag of a million attributes costs no more than one chunk past the limit.
 */
export const MAX_ATTRIBUTES = 256;
export const MAX_NAMESPACE_DECLARATIONS = 64;

/** How much text saxes gets at a time, so a runaway start tag is seen between writes. */
export const FEED_CHUNK = 64 * 1024;

/** saxes' attributes of the start tag being read (pinned saxes 6.0.0; these fields are private). */
interface SaxesPending {
  attribList: readonly unknown[];
  topNS: Record<string, string> | null;
}

/**
 * BESKED_TOO_LARGE when an element carries too many attributes or namespace declarations: at the
 * start tag, or (for `pending`) while saxes is still collecting its attributes.
 */
export function checkAttributeCounts(attributes: number, declarations: number): void {
  if (declarations > MAX_NAMESPACE_DECLARATIONS) {
    throw new BeskedError(
      'BESKED_TOO_LARGE',
      `an element declares more than ${MAX_NAMESPACE_DECLARATIONS} namespaces`,
    );
  }
  if (attributes > MAX_ATTRIBUTES) {
    throw new BeskedError('BESKED_TOO_LARGE', `an element has more than ${MAX_ATTRIBUTES} attributes`);
  }
}

/** Own keys of a saxes record, counted without allocating (this runs for every element). */
function countKeys(o: object): number {
  let n = 0;
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- only counted
  for (const _key in o) n++;
  return n;
}

/** The limits above for the start tag saxes is in the middle of (between two writes). */
export function checkPendingAttributes(parser: SaxesParser): void {
  const pending = parser as unknown as SaxesPending;
  const n = pending.attribList.length;
  if (n <= MAX_NAMESPACE_DECLARATIONS) return;
  checkAttributeCounts(n, countKeys(pending.topNS ?? {}));
}

/** The limits above for a complete start tag. */
export function checkTagAttributes(tag: SaxesTagNS): void {
  const attributes = countKeys(tag.attributes);
  if (attributes <= MAX_NAMESPACE_DECLARATIONS) return;
  checkAttributeCounts(attributes, countKeys(tag.ns));
}

/** An element being captured as text, with the outside namespace bindings it needs. */
interface Capture {
  depth: number;
  start: number;
  insertAt: number;
  /** Namespace declarations of the open elements inside the capture, innermost last. */
  frames: Record<string, string>[];
  /** How many open elements inside the capture declare each prefix ('' = default namespace). */
  declared: Map<string, number>;
  needed: Map<string, string> | undefined;
  /** Where the result goes: a Beskeddata segment list or a parent's children. */
  parent: XNode;
  asSegment: boolean;
  ns: string;
  local: string;
}

/** saxes' own error (it throws when no error handler is set) as BESKED_XML_MALFORMED with the position. */
function malformed(xml: string, pos: number, err: unknown): BeskedError {
  const detail = (err instanceof Error ? err.message : String(err)).replace(/^\d+:\d+: /, '');
  return malformedAt(xml, pos, detail, err);
}

export interface ReadResult {
  root: XNode;
}

export const KNOWN_ROOTS =
  'Haendelsesbesked (urn:oio:besked:kuvert:1.0) or ModtagBeskedInput (urn:oio:sts:1.0.0)';

/** One parse's state plus the saxes parser and handlers, reused while no parse throws. */
class EnvelopeSax {
  private readonly parser = new SaxesParser({ xmlns: true });
  private xml = '';
  private encoding: TextEncoding = 'UTF-8';
  private stack: XNode[] = [];
  private root: XNode | undefined;
  private top: XNode | undefined;
  private skipDepth = 0;
  private cap: Capture | undefined;
  // Base64 fast path (see read()): source characters not given to saxes so far, and the Base64
  // node whose start tag ended at absolute position `base64Open`, its text not yet read.
  private depth = 0;
  private elements = 0;
  private skipped = 0;
  private base64Open = -1;
  private base64Node: XNode | undefined;

  constructor() {
    const p = this.parser;
    // Thrown as soon as saxes has skimmed the DOCTYPE, before any element is read.
    p.on('doctype', () => {
      throw dtdForbidden();
    });
    p.on('opentag', (tag) => this.open(tag));
    p.on('closetag', (tag) => this.close(tag));
    const onText = (text: string): void => {
      const top = this.top;
      if (this.cap === undefined && this.skipDepth === 0 && top !== undefined) {
        top.text += text;
        // Text after the checked fast-path chunk (past a comment, say) is not checked: check it all.
        top.base64Checked = false;
      }
    };
    p.on('text', onText);
    p.on('cdata', onText);
  }

  private pos(): number {
    return this.parser.position + this.skipped;
  }

  /** Writes `text` to saxes in chunks, checking the start tag being read between them. */
  private feed(text: string): void {
    const parser = this.parser;
    if (text.length <= FEED_CHUNK) {
      parser.write(text);
      checkPendingAttributes(parser);
      return;
    }
    for (let i = 0; i < text.length; i += FEED_CHUNK) {
      parser.write(text.slice(i, i + FEED_CHUNK));
      checkPendingAttributes(parser);
    }
  }

  read(xml: string, encoding: TextEncoding): XNode {
    this.xml = xml;
    this.encoding = encoding;
    this.stack = [];
    this.root = undefined;
    this.top = undefined;
    this.skipDepth = 0;
    this.cap = undefined;
    this.depth = 0;
    this.elements = 0;
    this.skipped = 0;
    this.base64Open = -1;
    this.base64Node = undefined;
    const parser = this.parser;
    // Feed saxes in pieces cut after each tag that may be a Base64 start tag. When one was (open()
    // set base64Open to the cut), its character data up to the next '<' is checked with BASE64_TEXT
    // and, if it passes, taken directly instead of being scanned character by character by saxes:
    // such text is always well-formed (no markup, references, `]]>` or disallowed characters), and
    // it is most of a real delivery's bytes. saxes still checks everything else, including that the
    // next markup closes the element; text that does not pass goes through saxes as usual.
    let from = 0;
    try {
      for (let c = xml.indexOf('Base64'); c >= 0; c = xml.indexOf('Base64', Math.max(from, c + 6))) {
        const gt = xml.indexOf('>', c);
        if (gt < 0) break;
        this.feed(xml.slice(from, gt + 1));
        from = gt + 1;
        const node = this.base64Node as XNode | undefined; // set by open() during write()
        if (this.base64Open === from && node !== undefined) {
          const lt = xml.indexOf('<', from);
          if (lt > from) {
            const text = xml.slice(from, lt);
            if (BASE64_TEXT.test(text)) {
              node.text = text;
              node.base64Checked = true;
              this.skipped += lt - from;
              from = lt;
            }
          }
        }
        this.base64Open = -1;
      }
      this.feed(from === 0 ? xml : xml.slice(from));
      parser.close();
    } catch (err) {
      if (err instanceof BeskedError) throw err;
      throw malformed(xml, this.pos(), err);
    }
    if (this.root === undefined) {
      throw new BeskedError('BESKED_XML_MALFORMED', 'document has no root element');
    }
    const root = this.root;
    this.xml = '';
    this.root = this.top = this.base64Node = undefined;
    this.stack = [];
    return root;
  }

  private need(c: Capture, prefix: string, uri: string): void {
    if (uri === '' || prefix === 'xml') return;
    if ((c.declared.get(prefix) ?? 0) > 0) return;
    (c.needed ??= new Map()).set(prefix, uri);
  }

  private captureOpen(c: Capture, tag: SaxesTagNS): void {
    c.frames.push(tag.ns);
    for (const p in tag.ns) c.declared.set(p, (c.declared.get(p) ?? 0) + 1);
    this.need(c, tag.prefix, tag.uri);
    const attrs = tag.attributes;
    for (const name in attrs) {
      const a = attrs[name]!;
      if (a.prefix !== '' && a.prefix !== 'xmlns') this.need(c, a.prefix, a.uri);
      if (a.uri === NS_XSI && a.local === 'type') {
        // xsi:type's value is a QName: its prefix must stay bound too.
        const v = a.value.trim();
        const colon = v.indexOf(':');
        const p = colon < 0 ? '' : v.slice(0, colon);
        this.need(c, p, this.parser.resolve(p) ?? '');
      }
    }
  }

  private startCapture(tag: SaxesTagNS, parent: XNode, asSegment: boolean): void {
    const start = this.xml.lastIndexOf('<', this.pos() - 1);
    const cap: Capture = {
      depth: 1,
      start,
      insertAt: start + 1 + tag.name.length,
      frames: [],
      declared: new Map(),
      needed: undefined,
      parent,
      asSegment,
      ns: tag.uri,
      local: tag.local,
    };
    this.cap = cap;
    this.captureOpen(cap, tag);
  }

  private open(tag: SaxesTagNS): void {
    if (++this.depth > MAX_DEPTH) {
      // saxes resolves a prefix by walking up the open elements: deep nesting costs depth² time.
      throw new BeskedError('BESKED_TOO_LARGE', `elements are nested deeper than ${MAX_DEPTH} levels`);
    }
    if (++this.elements > MAX_ELEMENTS) {
      throw new BeskedError('BESKED_TOO_LARGE', `the message has more than ${MAX_ELEMENTS} elements`);
    }
    checkTagAttributes(tag);
    const cap = this.cap;
    if (cap !== undefined) {
      cap.depth++;
      this.captureOpen(cap, tag);
      return;
    }
    if (this.skipDepth > 0) {
      this.skipDepth++;
      return;
    }
    const parent = this.top;
    const uri = tag.uri;
    if (parent === undefined) {
      // Read here: saxes resets xmlDecl when the document ends.
      // decode-input read the declaration from the bytes; saxes' own reading must agree.
      const enc = this.parser.xmlDecl.encoding;
      if (enc !== undefined && !declarationAgrees(enc, this.encoding)) {
        throw new BeskedError(
          'BESKED_ENCODING_INVALID',
          `the XML declaration names encoding "${enc.slice(0, 40)}" but the text was read as ${this.encoding}`,
        );
      }
      if (!(
        (uri === NS_KUVERT && tag.local === 'Haendelsesbesked') ||
        (uri === NS_STS && tag.local === 'ModtagBeskedInput')
      )) {
        throw new BeskedError(
          'BESKED_ROOT_UNKNOWN',
          `root element ${tag.local} in namespace ${uri === '' ? '(none)' : uri} is not ${KNOWN_ROOTS}`,
          { path: tag.local },
        );
      }
    } else {
      switch (parent.mode) {
        case MODE_TREE:
          if (uri !== NS_KUVERT && uri !== NS_SAGDOK && uri !== NS_STS) {
            parent.foreign++;
            this.skipDepth = 1; // an unknown element inside the envelope: ignored with its content
            return;
          }
          break;
        case MODE_BESKEDDATA:
          if (uri === NS_BASE64 && tag.local === 'Base64') break;
          this.startCapture(tag, parent, true);
          return;
        case MODE_CAPTURE_ALL:
          this.startCapture(tag, parent, false);
          return;
        case MODE_CAPTURE_FOREIGN:
          if (uri === NS_KUVERT) break;
          this.startCapture(tag, parent, false);
          return;
        default:
          throw new BeskedError(
            'BESKED_VALUE_INVALID',
            `${parent.local} must contain Base64 text only, found element ${tag.local}`,
          );
      }
    }
    const node = newNode(uri, tag.local, modeOf(uri, tag.local));
    if (node.mode === MODE_TEXT_ONLY) {
      const attrs: Record<string, string> = {};
      for (const name in tag.attributes) {
        const a = tag.attributes[name]!;
        if (a.prefix === '') attrs[a.local] = a.value;
      }
      node.attrs = attrs;
      this.base64Open = this.pos();
      this.base64Node = node;
    } else if (node.mode === MODE_BESKEDDATA) {
      node.contentStart = this.pos();
    }
    if (parent === undefined) this.root = node;
    else addChild(parent, node);
    this.stack.push(node);
    this.top = node;
  }

  private close(tag: SaxesTagNS): void {
    this.depth--;
    const cap = this.cap;
    if (cap !== undefined) {
      if (--cap.depth === 0) {
        placeCapture(this.xml, cap, this.pos());
        this.cap = undefined;
      } else {
        const decls = cap.frames.pop()!;
        for (const p in decls) cap.declared.set(p, cap.declared.get(p)! - 1);
      }
      return;
    }
    if (this.skipDepth > 0) {
      this.skipDepth--;
      return;
    }
    const stack = this.stack;
    const node = stack.pop()!;
    if (node.mode === MODE_BESKEDDATA) {
      node.contentEnd = tag.isSelfClosing ? node.contentStart : this.xml.lastIndexOf('</', this.pos() - 1);
    } else if (node === this.base64Node) {
      this.base64Open = -1;
    }
    this.top = stack[stack.length - 1];
  }
}

let idle: EnvelopeSax | undefined;

/**
 * Reads `xml` (decoded by decode-input, BOM removed) into a tree; `encoding` is what it was
 * decoded from, which the XML declaration must name (if it names one).
 */
export function readXml(xml: string, encoding: TextEncoding): ReadResult {
  const reader = idle ?? new EnvelopeSax();
  idle = undefined; // not reentrant: a nested call (none today) would get its own reader
  const root = reader.read(xml, encoding); // throws: the reader is dropped with its parser
  idle = reader;
  return { root };
}
