import { BeskedError } from './besked-error';
import * as ns from './namespaces';
import * as tree from './xml-tree';
import type { XNode } from './xml-tree';
import { declarationAgrees, type TextEncoding } from './text-encoding';
import * as modes from './envelope-modes';
import { dtdForbidden, malformedAt } from './xml-error';
import * as chars from './xml-chars';
import * as reference from './xml-reader';

// Plain local copies: imported bindings compile to getter calls under CJS, which measured ~30% of
// the scanner's time when called per character.
const modeOf = modes.modeOf;
const newNode = tree.newNode;
const addChild = tree.addChild;
const MODE_TREE = modes.MODE_TREE;
const MODE_BESKEDDATA = modes.MODE_BESKEDDATA;
const MODE_CAPTURE_ALL = modes.MODE_CAPTURE_ALL;
const MODE_CAPTURE_FOREIGN = modes.MODE_CAPTURE_FOREIGN;
const MODE_TEXT_ONLY = modes.MODE_TEXT_ONLY;
const FORBIDDEN_CHAR = chars.FORBIDDEN_CHAR;
const isNameCode = chars.isNameCode;
const ASCII_NAME = chars.ASCII_NAME;
const isNameStartCode = chars.isNameStartCode;
const isSpace = chars.isSpace;
const isXmlChar = chars.isXmlChar;
const checkAttributeCounts = reference.checkAttributeCounts;
const FEED_CHUNK = reference.FEED_CHUNK;
const KNOWN_ROOTS = reference.KNOWN_ROOTS;
const MAX_DEPTH = reference.MAX_DEPTH;
const MAX_ELEMENTS = reference.MAX_ELEMENTS;
const MAX_NAMESPACE_DECLARATIONS = reference.MAX_NAMESPACE_DECLARATIONS;
const readXml = reference.readXml;

/**
 * The hot path's envelope reader: one pass over the decoded text, exactly as strict as saxes 6 with
 * xmlns (xml-reader.ts, kept as the reference; test/envelope-differential.test.ts compares them on
 * mutated envelopes) and building the same XNode tree. It refuses what saxes refuses, at the same
 * point of the text, so the first error and its code are the same: well-formedness, namespaces
 * resolved by declaration (never by prefix), only the five predefined entities and character
 * references, DOCTYPE refused, the same limits. Error details use saxes' words where a code depends
 * on them (xml-error.ts: a detail naming "doctype" means BESKED_DTD_FORBIDDEN).
 *
 * Why faster: no per-character state dispatch or event objects; runs of text, comments, CDATA and
 * entity names are found with indexOf; forbidden characters with one regex over the text (reading
 * stops there, as saxes stops when it reaches one); names and Base64 text are slices of the source.
 *
 * A document declaring an XML version other than 1.0 (saxes then applies XML 1.1's character and
 * line-end rules) is read by the saxes reader: no real envelope does that.
 */

const NS_KUVERT: string = ns.NS_KUVERT;
const NS_SAGDOK: string = ns.NS_SAGDOK;
const NS_STS: string = ns.NS_STS;
const NS_BASE64: string = ns.NS_BASE64;
const NS_XSI: string = ns.NS_XSI;
const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NAMESPACE = 'http://www.w3.org/2000/xmlns/';

const LT = 0x3c;
const GT = 0x3e;
const AMP = 0x26;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const EQUAL = 0x3d;
const DQUOTE = 0x22;
const SQUOTE = 0x27;
const CR = 0x0d;
const LF = 0x0a;
const TAB = 0x09;

const PREDEFINED: Record<string, string> = Object.assign(Object.create(null) as Record<string, string>, {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
});

/** The XML declaration as saxes accepts it (version, then optional encoding and standalone). */
const XML_DECL =
  /<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(?:"(1\.[0-9]+)"|'(1\.[0-9]+)')(?:[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(?:"([A-Za-z][A-Za-z0-9._-]*)"|'([A-Za-z][A-Za-z0-9._-]*)'))?(?:[ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(?:"(?:yes|no)"|'(?:yes|no)'))?[ \t\r\n]*\?>/y;

const NC_NAME = /^[^:]+$/; // the characters are name characters already; only the colon is left

/** Whether xml[a, a + len) and xml[b, b + len) are the same characters (a slower startsWith here). */
function sameText(xml: string, a: number, b: number, len: number): boolean {
  for (let k = 0; k < len; k++) if (xml.charCodeAt(a + k) !== xml.charCodeAt(b + k)) return false;
  return true;
}

/** A declared namespace URI as our constant when it is one of the envelope's. */
function canonicalNamespace(uri: string): string {
  switch (uri) {
    case NS_KUVERT:
      return NS_KUVERT;
    case NS_SAGDOK:
      return NS_SAGDOK;
    case NS_STS:
      return NS_STS;
    case NS_BASE64:
      return NS_BASE64;
    case NS_XSI:
      return NS_XSI;
    default:
      return uri;
  }
}

/** Line ends as XML reads them (saxes does the same for text and CDATA). */
function normalizeNewlines(s: string): string {
  return s.indexOf('\r') < 0 ? s : s.replace(/\r\n?/g, '\n');
}

/** An element being captured as text, with the outside namespace bindings it needs. */
interface Capture {
  depth: number;
  start: number;
  insertAt: number;
  /** Prefixes declared by the open elements inside the capture, innermost last. */
  frames: string[][];
  /** How many open elements inside the capture declare each prefix ('' = default namespace). */
  declared: Map<string, number>;
  needed: Map<string, string> | undefined;
  parent: XNode;
  asSegment: boolean;
  ns: string;
  local: string;
}

export class EnvelopeScanner {
  protected xml = '';
  private len = 0;
  /** Where reading must stop: the first forbidden character, else the end of the text. */
  private end = 0;
  private encoding: TextEncoding = 'UTF-8';
  private declEncoding: string | undefined;
  private sawRoot = false;
  private closedRoot = false;
  /** Open elements: qualified names and where their namespace declarations start. */
  private names: string[] = [];
  /** Where each open element's name starts in the text (its end tag is matched against it there). */
  private nameStarts: number[] = [];
  private nsMarks: number[] = [];
  private open = 0;
  /** Namespace declarations in scope, outermost first (the current start tag's last). */
  private nsPrefix: string[] = [];
  private nsLen = 0;
  /** The same declarations by prefix, innermost last: resolving is one lookup at any depth. */
  private bindings = new Map<string, string[]>();
  /** The start tag being read: its attributes in order, and where its declarations start. */
  private attrName: string[] = [];
  private attrPrefix: string[] = [];
  private attrLocal: string[] = [];
  private attrValue: string[] = [];
  private attrUri: string[] = [];
  private nAttrs = 0;
  private tagNsMark = 0;
  private tagStart = 0;
  /** Cached positions of the next '&' and ']]>' (len + 1: none). */
  private nextAmp = -1;
  private nextCdEnd = -1;
  // The tree, as xml-reader builds it.
  private stack: XNode[] = [];
  private root: XNode | undefined;
  private top: XNode | undefined;
  private skipDepth = 0;
  private cap: Capture | undefined;
  protected depth = 0;
  /** Set by a hook that has read all it needs: reading ends before the next markup or text. */
  protected stopped = false;
  private elements = 0;

  /** The tree of `xml`, or undefined when it declares an XML version other than 1.0 (not read). */
  read(xml: string, encoding: TextEncoding): XNode | undefined {
    this.stack = [];
    this.root = this.top = undefined;
    this.skipDepth = 0;
    this.cap = undefined;
    try {
      return this.scanDocument(xml, encoding) ? this.root : undefined;
    } finally {
      // Keep nothing of this message (the scanner is reused; a failed read must not pin its text).
      this.stack = [];
      this.root = this.top = undefined;
      this.cap = undefined;
    }
  }

  /**
   * Reads the whole document through the element and text hooks; false when it declares an XML
   * version other than 1.0 (then nothing was read: saxes applies XML 1.1's rules to it).
   */
  protected scanDocument(xml: string, encoding: TextEncoding): boolean {
    this.xml = xml;
    this.len = xml.length;
    const bad = xml.search(FORBIDDEN_CHAR);
    this.end = bad < 0 ? xml.length : bad;
    this.encoding = encoding;
    this.declEncoding = undefined;
    this.sawRoot = this.closedRoot = false;
    this.open = 0;
    this.nsLen = 0;
    this.bindings.clear();
    this.nAttrs = 0;
    this.nextAmp = this.nextCdEnd = -1;
    this.depth = this.elements = 0;
    this.stopped = false;
    try {
      let i = xml.charCodeAt(0) === 0xfeff ? 1 : 0; // saxes skips one more BOM at the start
      if (xml.startsWith('<?xml', i)) {
        const c = xml.charCodeAt(i + 5);
        if (c === QUESTION || isSpace(c)) {
          XML_DECL.lastIndex = i;
          const m = XML_DECL.exec(xml);
          if (m === null || XML_DECL.lastIndex > this.end) {
            if (i + 6 > this.end) this.atEnd(false);
            throw this.fail(i + 6, 'malformed XML declaration.');
          }
          if ((m[1] ?? m[2]) !== '1.0') return false; // XML 1.1 rules: the saxes reader
          this.declEncoding = m[3] ?? m[4];
          i = XML_DECL.lastIndex;
        }
      }
      this.scan(i);
      return true;
    } finally {
      this.xml = '';
      // Names and values are slices that would keep the whole text alive.
      this.names.length = this.nsPrefix.length = this.nameStarts.length = 0;
      this.attrName.length = this.attrPrefix.length = this.attrLocal.length = 0;
      this.attrValue.length = this.attrUri.length = 0;
      this.bindings.clear();
    }
  }

  private fail(pos: number, detail: string): BeskedError {
    return malformedAt(this.xml, pos, detail);
  }

  /**
   * Reading reached `end`: a forbidden character, else the end of the text (saxes' end() checks,
   * in its order). In a start tag, its attributes are counted first, as xml-reader does after
   * its last write.
   */
  private atEnd(inStartTag: boolean): never {
    if (this.end < this.len) throw this.fail(this.end + 1, 'disallowed character.');
    if (inStartTag) this.checkPending();
    if (!this.sawRoot) throw this.fail(this.len, 'document must contain a root element.');
    if (this.open > 0) throw this.fail(this.len, `unclosed tag: ${this.names[this.open - 1]!}`);
    throw this.fail(this.len, 'unexpected end.');
  }

  /** Code point at i (a surrogate pair as one). */
  private codeAt(i: number): number {
    const c = this.xml.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = this.xml.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) return 0x10000 + (c - 0xd800) * 0x400 + (d - 0xdc00);
    }
    return c;
  }

  /** End of the run of name characters starting at i (stops at `end`). */
  private nameEnd(i: number): number {
    const xml = this.xml;
    const end = this.end;
    while (i < end) {
      const c = xml.charCodeAt(i);
      if (c < 128) {
        if ((ASCII_NAME[c]! & 1) === 0) return i;
        i++;
      } else {
        const cp = this.codeAt(i);
        if (!isNameCode(cp)) return i;
        i += cp > 0xffff ? 2 : 1;
      }
    }
    return i;
  }

  private skipSpaces(i: number): number {
    const xml = this.xml;
    while (i < this.end && isSpace(xml.charCodeAt(i))) i++;
    return i;
  }

  private scan(from: number): void {
    const xml = this.xml;
    let i = from;
    for (;;) {
      if (this.stopped) return;
      if (this.open === 0) {
        i = this.skipSpaces(i);
        if (i >= this.end) {
          if (this.end < this.len || !this.sawRoot) this.atEnd(false);
          return;
        }
        if (xml.charCodeAt(i) !== LT) throw this.fail(i + 1, 'text data outside of root node.');
        i = this.markup(i + 1);
        continue;
      }
      // Character data inside the root, up to the next markup or reference.
      let stop = xml.indexOf('<', i);
      if (stop < 0 || stop > this.end) stop = this.end;
      if (this.nextAmp < i) {
        const a = xml.indexOf('&', i);
        this.nextAmp = a < 0 ? this.len + 1 : a;
      }
      const amp = this.nextAmp < stop;
      if (amp) stop = this.nextAmp;
      if (this.nextCdEnd < i) {
        const b = xml.indexOf(']]>', i);
        this.nextCdEnd = b < 0 ? this.len + 1 : b;
      }
      if (this.nextCdEnd < stop)
        throw this.fail(this.nextCdEnd + 3, 'the string "]]>" is disallowed in char data.');
      if (stop > i) this.text(i, stop);
      if (stop >= this.end) this.atEnd(false);
      if (amp) {
        const semi = this.entityEnd(stop + 1);
        this.entityText(this.entity(stop + 1, semi));
        i = semi + 1;
      } else {
        i = this.markup(stop + 1);
      }
    }
  }

  /** Character data xml[from, to) inside the root (text or CDATA), line ends not yet normalized. */
  protected text(from: number, to: number): void {
    if (this.cap === undefined && this.skipDepth === 0 && this.top !== undefined) {
      this.addText(normalizeNewlines(this.xml.slice(from, to)));
    }
  }

  /** The text of a reference in character data. */
  protected entityText(value: string): void {
    if (this.cap === undefined && this.skipDepth === 0 && this.top !== undefined) this.addText(value);
  }

  private addText(s: string): void {
    const top = this.top!;
    top.text += s;
  }

  /** Position of the ';' that ends the reference starting at i (saxes reads anything up to it). */
  private entityEnd(i: number): number {
    const semi = this.xml.indexOf(';', i);
    if (semi < 0 || semi >= this.end) this.atEnd(false);
    return semi;
  }

  /** The text of the reference between '&' and ';' (from..semi). */
  private entity(from: number, semi: number): string {
    const name = this.xml.slice(from, semi);
    if (name === '') throw this.fail(semi + 1, 'empty entity name.');
    if (name.charCodeAt(0) !== 0x23) {
      const value = PREDEFINED[name];
      if (value !== undefined) return value;
      throw this.fail(semi + 1, 'undefined entity, or disallowed character in entity name.');
    }
    let num = NaN;
    if (name.charCodeAt(1) === 0x78 && /^#x[0-9a-f]+$/i.test(name)) num = parseInt(name.slice(2), 16);
    else if (/^#[0-9]+$/.test(name)) num = parseInt(name.slice(1), 10);
    if (!isXmlChar(num)) throw this.fail(semi + 1, 'malformed character entity.');
    return String.fromCodePoint(num);
  }

  /** Markup after a '<' at i - 1; returns where reading goes on. */
  private markup(i: number): number {
    if (i >= this.end) this.atEnd(false);
    const c = this.xml.charCodeAt(i);
    if (c === SLASH) return this.endTag(i + 1);
    if (c === BANG) return this.bang(i + 1);
    if (c === QUESTION) return this.pi(i + 1);
    if (isNameStartCode(c < 128 ? c : this.codeAt(i))) return this.startTag(i);
    throw this.fail(i + 1, 'disallowed character in tag name');
  }

  private startTag(i: number): number {
    const xml = this.xml;
    const tagStart = i - 1;
    const nameEnd = this.nameEnd(i);
    if (nameEnd >= this.end) this.atEnd(false);
    const name = xml.slice(i, nameEnd);
    this.sawRoot = true;
    if (this.closedRoot) throw this.fail(nameEnd + 1, 'documents may contain only one root.');
    this.nAttrs = 0;
    this.tagNsMark = this.nsLen;
    this.tagStart = tagStart;
    let p = nameEnd;
    let c = xml.charCodeAt(p);
    if (c !== GT && c !== SLASH) {
      if (!isSpace(c)) throw this.fail(p + 1, 'disallowed character in tag name.');
      // Attributes: each preceded by whitespace.
      for (;;) {
        p = this.skipSpaces(p);
        if (p >= this.end) this.atEnd(true);
        c = xml.charCodeAt(p);
        if (c === GT || c === SLASH) break;
        if (!isNameStartCode(c < 128 ? c : this.codeAt(p))) {
          throw this.fail(p + 1, 'disallowed character in attribute name.');
        }
        const attrEnd = this.nameEnd(p);
        if (attrEnd >= this.end) this.atEnd(true);
        const attr = xml.slice(p, attrEnd);
        p = attrEnd;
        c = xml.charCodeAt(p);
        if (c !== EQUAL) {
          if (!isSpace(c)) {
            throw this.fail(
              p + 1,
              c === GT ? 'attribute without value.' : 'disallowed character in attribute name.',
            );
          }
          p = this.skipSpaces(p);
          if (p >= this.end) this.atEnd(true);
          if (xml.charCodeAt(p) !== EQUAL) throw this.fail(p + 1, 'attribute without value.');
        }
        p = this.skipSpaces(p + 1);
        if (p >= this.end) this.atEnd(true);
        const q = xml.charCodeAt(p);
        if (q !== DQUOTE && q !== SQUOTE) throw this.fail(p + 1, 'unquoted attribute value.');
        p = this.attrValueEnd(attr, p + 1, q);
        if (p >= this.end) this.atEnd(true);
        c = xml.charCodeAt(p);
        if (c === GT || c === SLASH) break;
        if (!isSpace(c)) {
          throw this.fail(
            p + 1,
            isNameStartCode(c < 128 ? c : this.codeAt(p))
              ? 'no whitespace between attributes.'
              : 'disallowed character in attribute name.',
          );
        }
      }
    }
    if (c === SLASH) {
      if (p + 1 >= this.end) this.atEnd(true);
      if (xml.charCodeAt(p + 1) !== GT)
        throw this.fail(p + 2, 'forward-slash in opening tag not followed by >.');
      this.openTag(name, p + 2, true);
      return p + 2;
    }
    this.openTag(name, p + 1, false);
    return p + 1;
  }

  /** Reads a quoted attribute value from i (after the quote); returns the position after the closing quote. */
  private attrValueEnd(name: string, i: number, q: number): number {
    const xml = this.xml;
    const end = this.end;
    let value = '';
    let start = i;
    for (;;) {
      if (i >= end) this.atEnd(true);
      const c = xml.charCodeAt(i);
      if (c === q) {
        value += xml.slice(start, i);
        this.pushAttribute(name, value, i + 1);
        return i + 1;
      }
      if (c === AMP) {
        const semi = this.entityEnd(i + 1);
        value += xml.slice(start, i) + this.entity(i + 1, semi);
        i = start = semi + 1;
      } else if (c === LT) {
        throw this.fail(i + 1, 'disallowed character.');
      } else if (c === LF || c === TAB || c === CR) {
        value += `${xml.slice(start, i)} `;
        i += c === CR && xml.charCodeAt(i + 1) === LF ? 2 : 1;
        start = i;
      } else {
        i++;
      }
    }
  }

  /** saxes' qname(): prefix and local name, refusing an empty part or a second colon. */
  private splitName(name: string, pos: number): number {
    const colon = name.indexOf(':');
    if (colon >= 0 && (colon === 0 || colon === name.length - 1 || name.indexOf(':', colon + 1) >= 0)) {
      throw this.fail(pos, `malformed name: ${name}.`);
    }
    return colon;
  }

  private pushAttribute(name: string, value: string, pos: number): void {
    const colon = this.splitName(name, pos);
    const prefix = colon < 0 ? '' : name.slice(0, colon);
    const local = colon < 0 ? name : name.slice(colon + 1);
    const n = this.nAttrs++;
    this.attrName[n] = name;
    this.attrPrefix[n] = prefix;
    this.attrLocal[n] = local;
    this.attrValue[n] = value;
    if (prefix === 'xmlns') {
      const uri = value.trim();
      if (uri === '') throw this.fail(pos, 'invalid attempt to undefine prefix in XML 1.0');
      this.declare(local, uri, pos);
    } else if (name === 'xmlns') {
      this.declare('', value.trim(), pos);
    }
    // A runaway start tag is counted once it is a chunk long, as xml-reader counts between writes.
    if (n >= MAX_NAMESPACE_DECLARATIONS && pos - this.tagStart >= FEED_CHUNK) this.checkPending();
  }

  private declare(prefix: string, declared: string, pos: number): void {
    // The envelope's namespaces as the constants themselves: every element's namespace is compared
    // with them, and the same string compares by identity instead of character by character.
    const uri = canonicalNamespace(declared);
    const k = this.nsLen++;
    this.nsPrefix[k] = prefix;
    const stack = this.bindings.get(prefix);
    if (stack === undefined) this.bindings.set(prefix, [uri]);
    else stack.push(uri);
    // saxes' nsPairCheck
    if (prefix === 'xml' && uri !== XML_NAMESPACE)
      throw this.fail(pos, `xml prefix must be bound to ${XML_NAMESPACE}.`);
    if (prefix === 'xmlns' && uri !== XMLNS_NAMESPACE) {
      throw this.fail(pos, `xmlns prefix must be bound to ${XMLNS_NAMESPACE}.`);
    }
    if (uri === XMLNS_NAMESPACE)
      throw this.fail(pos, `may not assign a prefix or default namespace to ${uri}.`);
    if (uri === XML_NAMESPACE && prefix !== 'xml') {
      throw this.fail(pos, 'may not assign the xml namespace to another prefix or the default namespace.');
    }
  }

  /** Distinct prefixes the current start tag declares. */
  private tagPrefixes(): string[] {
    if (this.nsLen - this.tagNsMark > 16) {
      return [...new Set(this.nsPrefix.slice(this.tagNsMark, this.nsLen))];
    }
    const out: string[] = [];
    for (let k = this.tagNsMark; k < this.nsLen; k++) {
      const p = this.nsPrefix[k]!;
      if (out.indexOf(p) < 0) out.push(p);
    }
    return out;
  }

  private checkPending(): void {
    if (this.nAttrs > MAX_NAMESPACE_DECLARATIONS)
      checkAttributeCounts(this.nAttrs, this.tagPrefixes().length);
  }

  /** Drops the declarations from `mark` on (an element ended). */
  private undeclare(mark: number): void {
    for (let k = this.nsLen - 1; k >= mark; k--) this.bindings.get(this.nsPrefix[k]!)!.pop();
    this.nsLen = mark;
  }

  private resolve(prefix: string): string | undefined {
    const stack = this.bindings.get(prefix);
    if (stack !== undefined && stack.length > 0) return stack[stack.length - 1];
    if (prefix === 'xml') return XML_NAMESPACE;
    if (prefix === 'xmlns') return XMLNS_NAMESPACE;
    return undefined;
  }

  /** saxes' processAttribsNS and then xml-reader's open(); `after` is the position after '>'. */
  private openTag(name: string, after: number, selfClosing: boolean): void {
    const colon = this.splitName(name, after);
    const prefix = colon < 0 ? '' : name.slice(0, colon);
    const local = colon < 0 ? name : name.slice(colon + 1);
    const uri = this.resolve(prefix) ?? '';
    if (prefix !== '') {
      if (prefix === 'xmlns') throw this.fail(after, 'tags may not have "xmlns" as prefix.');
      if (uri === '') throw this.fail(after, `unbound namespace prefix: ${JSON.stringify(prefix)}.`);
    }
    const n = this.nAttrs;
    // Pairwise for a few attributes (no allocation), a set for many (a long start tag stays linear).
    const seen = n > 16 ? new Set<string>() : undefined;
    for (let a = 0; a < n; a++) {
      const p = this.attrPrefix[a]!;
      let u: string;
      if (p === '') {
        u = this.attrName[a] === 'xmlns' ? XMLNS_NAMESPACE : '';
      } else {
        const r = this.resolve(p);
        if (r === undefined) throw this.fail(after, `unbound namespace prefix: ${JSON.stringify(p)}.`);
        u = r;
      }
      this.attrUri[a] = u;
      const eqname = p === '' ? this.attrName[a]! : `{${u}}${this.attrLocal[a]!}`;
      let dup = false;
      if (seen !== undefined) {
        dup = seen.has(eqname);
        seen.add(eqname);
      } else {
        for (let b = 0; b < a && !dup; b++) {
          dup =
            this.attrLocal[b] === this.attrLocal[a] &&
            this.attrUri[b] === u &&
            (this.attrPrefix[b] === '') === (p === '');
        }
      }
      if (dup) throw this.fail(after, `duplicate attribute: ${eqname}.`);
    }
    this.element(name, prefix, local, uri, after);
    if (selfClosing) {
      this.undeclare(this.tagNsMark);
      this.closeElement(after, after, true);
      if (this.open === 0) this.closedRoot = true;
    } else {
      const o = this.open++;
      this.names[o] = name;
      this.nameStarts[o] = this.tagStart + 1;
      this.nsMarks[o] = this.tagNsMark;
    }
  }

  private endTag(i: number): number {
    const xml = this.xml;
    if (this.open > 0) {
      // The usual case: the name of the open element and '>' (no slicing, no character loop).
      const top = this.open - 1;
      const len = this.names[top]!.length;
      const gt = i + len;
      if (gt < this.end && xml.charCodeAt(gt) === GT && sameText(xml, this.nameStarts[top]!, i, len)) {
        const o = --this.open;
        this.undeclare(this.nsMarks[o]!);
        this.closeElement(i - 2, gt + 1, false);
        if (o === 0) this.closedRoot = true;
        return gt + 1;
      }
    }
    const nameEnd = this.nameEnd(i);
    if (nameEnd >= this.end) this.atEnd(false);
    const name = xml.slice(i, nameEnd);
    let p = nameEnd;
    if (xml.charCodeAt(p) !== GT) {
      if (!isSpace(xml.charCodeAt(p))) throw this.fail(p + 1, 'disallowed character in closing tag.');
      p = this.skipSpaces(p);
      if (p >= this.end) this.atEnd(false);
      if (xml.charCodeAt(p) !== GT) throw this.fail(p + 1, 'disallowed character in closing tag.');
    }
    if (name === '') throw this.fail(p + 1, 'weird empty close tag.');
    if (this.open === 0) throw this.fail(p + 1, `unmatched closing tag: ${name}.`);
    if (this.names[this.open - 1] !== name) {
      this.mismatchedEndTag();
      throw this.fail(p + 1, 'unexpected close tag.');
    }
    const o = --this.open;
    this.undeclare(this.nsMarks[o]!);
    this.closeElement(i - 2, p + 1, false);
    if (o === 0) this.closedRoot = true;
    return p + 1;
  }

  /** After '<!': a comment, CDATA section or DOCTYPE (saxes reads up to seven characters to tell). */
  private bang(i: number): number {
    const xml = this.xml;
    let s = '';
    let p = i;
    for (;;) {
      if (p >= this.end) this.atEnd(false);
      const c = xml.charCodeAt(p);
      if (c === CR) {
        s += '\n';
        p += xml.charCodeAt(p + 1) === LF ? 2 : 1;
      } else {
        s += xml[p];
        p++;
      }
      if (s === '--') return this.comment(p);
      if (s === '[CDATA[') return this.cdata(p);
      if (s === 'DOCTYPE') return this.doctype(p);
      if (s.length >= 7) throw this.fail(p, 'incorrect syntax.');
    }
  }

  private comment(i: number): number {
    const k = this.xml.indexOf('--', i);
    if (k < 0 || k + 2 >= this.end) this.atEnd(false);
    if (this.xml.charCodeAt(k + 2) !== GT) throw this.fail(k + 3, 'malformed comment.');
    return k + 3;
  }

  private cdata(i: number): number {
    if (!this.sawRoot || this.closedRoot) throw this.fail(i, 'text data outside of root node.');
    const k = this.xml.indexOf(']]>', i);
    if (k < 0 || k + 2 >= this.end) this.atEnd(false);
    this.text(i, k);
    return k + 3;
  }

  /** saxes skims a DOCTYPE (quotes, internal subset, its comments and PIs) to its end, then refuses it. */
  private doctype(i: number): never {
    if (this.sawRoot) throw this.fail(i, 'inappropriately located doctype declaration.');
    const xml = this.xml;
    const S_DOCTYPE = 0;
    const S_DOCTYPE_QUOTE = 1;
    const S_DTD = 2;
    const S_DTD_QUOTED = 3;
    const S_DTD_OPEN_WAKA = 4;
    const S_DTD_BANG = 5;
    const S_DTD_COMMENT = 6;
    const S_DTD_COMMENT_ENDING = 7;
    const S_DTD_COMMENT_ENDED = 8;
    const S_DTD_PI = 9;
    const S_DTD_PI_ENDING = 10;
    let state = S_DOCTYPE;
    let q = 0;
    let bang = '';
    for (let p = i; ; p++) {
      if (p >= this.end) this.atEnd(false);
      const c = xml.charCodeAt(p);
      switch (state) {
        case S_DOCTYPE:
          if (c === GT) throw dtdForbidden();
          if (c === 0x5b) state = S_DTD;
          else if (c === DQUOTE || c === SQUOTE) {
            q = c;
            state = S_DOCTYPE_QUOTE;
          }
          break;
        case S_DOCTYPE_QUOTE:
          if (c === q) state = S_DOCTYPE;
          break;
        case S_DTD:
          if (c === 0x5d) state = S_DOCTYPE;
          else if (c === LT) state = S_DTD_OPEN_WAKA;
          else if (c === DQUOTE || c === SQUOTE) {
            q = c;
            state = S_DTD_QUOTED;
          }
          break;
        case S_DTD_QUOTED:
          if (c === q) state = S_DTD;
          break;
        case S_DTD_OPEN_WAKA:
          if (c === BANG) {
            bang = '';
            state = S_DTD_BANG;
          } else state = c === QUESTION ? S_DTD_PI : S_DTD;
          break;
        case S_DTD_BANG:
          bang += c === 0x2d ? '-' : 'x';
          if (bang !== '-') state = bang === '--' ? S_DTD_COMMENT : S_DTD;
          break;
        case S_DTD_COMMENT:
          if (c === 0x2d) state = S_DTD_COMMENT_ENDING;
          break;
        case S_DTD_COMMENT_ENDING:
          state = c === 0x2d ? S_DTD_COMMENT_ENDED : S_DTD_COMMENT;
          break;
        case S_DTD_COMMENT_ENDED:
          if (c !== GT) throw this.fail(p + 1, 'malformed comment.');
          state = S_DTD;
          break;
        case S_DTD_PI:
          if (c === QUESTION) state = S_DTD_PI_ENDING;
          break;
        default: // S_DTD_PI_ENDING: saxes stays here until a '>'
          if (c === GT) state = S_DTD;
      }
      // A CR LF pair is one character to saxes; neither half changes a state here except as "other".
      if (c === CR && xml.charCodeAt(p + 1) === LF) p++;
    }
  }

  /** A processing instruction after '<?' (the XML declaration is read before). */
  private pi(i: number): number {
    const xml = this.xml;
    if (i >= this.end) this.atEnd(false);
    const first = this.codeAt(i);
    if (first === 0x3a || !isNameStartCode(first)) {
      throw this.fail(
        i + 1,
        first === QUESTION || isSpace(first)
          ? 'processing instruction without a target.'
          : 'disallowed character in processing instruction name.',
      );
    }
    const targetEnd = this.nameEnd(i);
    if (targetEnd >= this.end) this.atEnd(false);
    const target = xml.slice(i, targetEnd);
    if (!NC_NAME.test(target))
      throw this.fail(i + target.indexOf(':') + 1, 'disallowed character in processing instruction name.');
    const c = xml.charCodeAt(targetEnd);
    if (c !== QUESTION && !isSpace(c)) {
      throw this.fail(targetEnd + 1, 'disallowed character in processing instruction name.');
    }
    if (target === 'xml')
      throw this.fail(targetEnd + 1, 'an XML declaration must be at the start of the document.');
    const k = xml.indexOf('?>', targetEnd);
    if (k < 0 || k + 1 >= this.end) this.atEnd(false);
    if (target.toLowerCase() === 'xml')
      throw this.fail(k + 2, 'the XML declaration must appear at the start of the document.');
    return k + 2;
  }

  // ---- The tree: xml-reader's open() and close(), on the scanner's tag. ----

  /** The limits every element is held to, in xml-reader's order (the element is counted). */
  protected countElement(): void {
    if (++this.depth > MAX_DEPTH) {
      throw new BeskedError('BESKED_TOO_LARGE', `elements are nested deeper than ${MAX_DEPTH} levels`);
    }
    if (++this.elements > MAX_ELEMENTS) {
      throw new BeskedError('BESKED_TOO_LARGE', `the message has more than ${MAX_ELEMENTS} elements`);
    }
    if (this.nAttrs > MAX_NAMESPACE_DECLARATIONS) {
      checkAttributeCounts(this.nAttrs, this.tagPrefixes().length);
    }
  }

  /** A start tag was read (namespaces resolved); `after` is the position after its '>'. */
  protected element(name: string, prefix: string, local: string, uri: string, after: number): void {
    this.countElement();
    const cap = this.cap;
    if (cap !== undefined) {
      cap.depth++;
      this.captureOpen(cap, prefix, uri);
      return;
    }
    if (this.skipDepth > 0) {
      this.skipDepth++;
      return;
    }
    const parent = this.top;
    if (parent === undefined) {
      const enc = this.declEncoding;
      if (enc !== undefined && !declarationAgrees(enc, this.encoding)) {
        throw new BeskedError(
          'BESKED_ENCODING_INVALID',
          `the XML declaration names encoding "${enc.slice(0, 40)}" but the text was read as ${this.encoding}`,
        );
      }
      if (!(
        (uri === NS_KUVERT && local === 'Haendelsesbesked') ||
        (uri === NS_STS && local === 'ModtagBeskedInput')
      )) {
        throw new BeskedError(
          'BESKED_ROOT_UNKNOWN',
          `root element ${local} in namespace ${uri === '' ? '(none)' : uri} is not ${KNOWN_ROOTS}`,
          { path: local },
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
          if (uri === NS_BASE64 && local === 'Base64') break;
          this.startCapture(name, prefix, uri, local, parent, true);
          return;
        case MODE_CAPTURE_ALL:
          this.startCapture(name, prefix, uri, local, parent, false);
          return;
        case MODE_CAPTURE_FOREIGN:
          if (uri === NS_KUVERT) break;
          this.startCapture(name, prefix, uri, local, parent, false);
          return;
        default:
          throw new BeskedError(
            'BESKED_VALUE_INVALID',
            `${parent.local} must contain Base64 text only, found element ${local}`,
          );
      }
    }
    const node = newNode(uri, local, modeOf(uri, local));
    if (node.mode === MODE_TEXT_ONLY) {
      const attrs: Record<string, string> = {};
      for (let a = 0; a < this.nAttrs; a++) {
        if (this.attrPrefix[a] === '') attrs[this.attrLocal[a]!] = this.attrValue[a]!;
      }
      node.attrs = attrs;
    } else if (node.mode === MODE_BESKEDDATA) {
      node.contentStart = after;
    }
    if (parent === undefined) this.root = node;
    else addChild(parent, node);
    this.stack.push(node);
    this.top = node;
  }

  /**
   * An end tag named another element than the innermost open one, which is refused next. saxes
   * reports the innermost element closed before it refuses; the tree is dropped with the error, so
   * only a reader that keeps what it found before an error (the id peek) needs to see that close.
   */
  protected mismatchedEndTag(): void {}

  /** The element ended: its end tag starts at endTagStart (self-closing: its start tag ended). */
  protected closeElement(endTagStart: number, after: number, selfClosing: boolean): void {
    this.depth--;
    const cap = this.cap;
    if (cap !== undefined) {
      if (--cap.depth === 0) {
        modes.placeCapture(this.xml, cap, after);
        this.cap = undefined;
      } else {
        for (const p of cap.frames.pop()!) cap.declared.set(p, cap.declared.get(p)! - 1);
      }
      return;
    }
    if (this.skipDepth > 0) {
      this.skipDepth--;
      return;
    }
    const stack = this.stack;
    const node = stack.pop()!;
    if (node.mode === MODE_BESKEDDATA) node.contentEnd = selfClosing ? node.contentStart : endTagStart;
    this.top = stack[stack.length - 1];
  }

  private need(c: Capture, prefix: string, uri: string): void {
    if (uri === '' || prefix === 'xml') return;
    if ((c.declared.get(prefix) ?? 0) > 0) return;
    (c.needed ??= new Map()).set(prefix, uri);
  }

  private captureOpen(c: Capture, prefix: string, uri: string): void {
    const declared = this.tagPrefixes();
    c.frames.push(declared);
    for (const p of declared) c.declared.set(p, (c.declared.get(p) ?? 0) + 1);
    this.need(c, prefix, uri);
    for (let a = 0; a < this.nAttrs; a++) {
      const ap = this.attrPrefix[a]!;
      const au = this.attrUri[a]!;
      if (ap !== '' && ap !== 'xmlns') this.need(c, ap, au);
      if (au === NS_XSI && this.attrLocal[a] === 'type') {
        // xsi:type's value is a QName: its prefix must stay bound too.
        const v = this.attrValue[a]!.trim();
        const colon = v.indexOf(':');
        const p = colon < 0 ? '' : v.slice(0, colon);
        this.need(c, p, this.resolve(p) ?? '');
      }
    }
  }

  private startCapture(
    name: string,
    prefix: string,
    uri: string,
    local: string,
    parent: XNode,
    asSegment: boolean,
  ): void {
    const start = this.tagStart;
    const cap: Capture = {
      depth: 1,
      start,
      insertAt: start + 1 + name.length,
      frames: [],
      declared: new Map(),
      needed: undefined,
      parent,
      asSegment,
      ns: uri,
      local,
    };
    this.cap = cap;
    this.captureOpen(cap, prefix, uri);
  }
}

let idle: EnvelopeScanner | undefined;

/**
 * Reads `xml` (decoded by decode-input, BOM removed) into the XNode tree, as xml-reader's readXml
 * does; `encoding` is what it was decoded from, which the XML declaration must name (if it names one).
 */
export function scanEnvelope(xml: string, encoding: TextEncoding): XNode {
  const scanner = idle ?? new EnvelopeScanner();
  idle = undefined; // not reentrant
  let root: XNode | undefined;
  try {
    root = scanner.read(xml, encoding);
  } finally {
    idle = scanner; // the scanner resets all of its state at the start of read()
  }
  return root ?? readXml(xml, encoding).root;
}
