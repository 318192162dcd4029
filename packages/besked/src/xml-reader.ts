import { SaxesParser, type SaxesTagNS } from 'saxes';
import { BeskedError } from './besked-error';
import { NS_BASE64, NS_KUVERT, NS_SAGDOK, NS_STS, NS_XSI } from './namespaces';
import { newNode, type Segment, type XNode } from './xml-tree';

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
 * `xmlDecl` field.
 */

type Mode = 'tree' | 'beskeddata' | 'captureAll' | 'captureForeign' | 'textOnly';

const CAPTURE_ALL = new Set(['BeskedfordelerSignatur', 'AfsenderSystemSignatur']);
const CAPTURE_FOREIGN = new Set([
  'LeveranceinformationLokalUdvidelse',
  'LeveranceruteLokalUdvidelse',
  'ObjektRegistreringLokalUdvidelse',
]);

function modeOf(node: XNode): Mode {
  if (node.ns === NS_KUVERT) {
    if (node.local === 'Beskeddata') return 'beskeddata';
    if (CAPTURE_ALL.has(node.local)) return 'captureAll';
    if (CAPTURE_FOREIGN.has(node.local)) return 'captureForeign';
    return 'tree';
  }
  if (node.ns === NS_BASE64) return 'textOnly';
  return 'tree';
}

function isEnvelopeNs(ns: string): boolean {
  return ns === NS_KUVERT || ns === NS_SAGDOK || ns === NS_STS;
}

function escapeAttr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
}

/** An element being captured as text, with the outside namespace bindings it needs. */
interface Capture {
  depth: number;
  start: number;
  insertAt: number;
  frames: Record<string, string>[];
  needed: Map<string, string> | undefined;
  /** Where the result goes: a Beskeddata segment list or a parent's children. */
  parent: XNode;
  asSegment: boolean;
  ns: string;
  local: string;
}

function dtdForbidden(): BeskedError {
  return new BeskedError(
    'BESKED_DTD_FORBIDDEN',
    'DOCTYPE declaration refused (DTDs and entity declarations are never processed)',
  );
}

/** saxes' own error (it throws when no error handler is set) as BESKED_XML_MALFORMED with the position. */
function malformed(parser: SaxesParser<{ xmlns: true }>, xml: string, err: unknown): BeskedError {
  const detail = (err instanceof Error ? err.message : String(err)).replace(/^\d+:\d+: /, '');
  // `<!ENTITY` outside a DOCTYPE is not well-formed, but the intent is an entity declaration.
  if (/doctype/i.test(detail) || xml.indexOf('<!ENTITY') >= 0) {
    return new BeskedError(
      'BESKED_DTD_FORBIDDEN',
      `DTD or entity declaration refused at line ${parser.line}, column ${parser.column}`,
    );
  }
  return new BeskedError(
    'BESKED_XML_MALFORMED',
    `XML is not well-formed at line ${parser.line}, column ${parser.column}: ${detail}`,
  );
}

export interface ReadResult {
  root: XNode;
}

export const KNOWN_ROOTS =
  'Haendelsesbesked (urn:oio:besked:kuvert:1.0) or ModtagBeskedInput (urn:oio:sts:1.0.0)';

/**
 * Reads `xml` (BOM already removed) into a tree. `strictEncoding`: the text came from bytes we
 * decoded as UTF-8, so a declaration naming another encoding is an error.
 */
export function readXml(xml: string, strictEncoding: boolean): ReadResult {
  const parser = new SaxesParser({ xmlns: true });
  const stack: XNode[] = [];
  let root: XNode | undefined;
  let top: XNode | undefined;
  let skipDepth = 0;
  let cap: Capture | undefined;

  const need = (c: Capture, prefix: string, uri: string): void => {
    if (uri === '' || prefix === 'xml') return;
    for (let i = c.frames.length - 1; i >= 0; i--) if (prefix in c.frames[i]!) return;
    (c.needed ??= new Map()).set(prefix, uri);
  };

  const captureOpen = (c: Capture, tag: SaxesTagNS): void => {
    c.frames.push(tag.ns);
    need(c, tag.prefix, tag.uri);
    const attrs = tag.attributes;
    for (const name in attrs) {
      const a = attrs[name]!;
      if (a.prefix !== '' && a.prefix !== 'xmlns') need(c, a.prefix, a.uri);
      if (a.uri === NS_XSI && a.local === 'type') {
        // xsi:type's value is a QName: its prefix must stay bound too.
        const v = a.value.trim();
        const colon = v.indexOf(':');
        const p = colon < 0 ? '' : v.slice(0, colon);
        need(c, p, parser.resolve(p) ?? '');
      }
    }
  };

  const startCapture = (tag: SaxesTagNS, parent: XNode, asSegment: boolean): void => {
    const start = xml.lastIndexOf('<', parser.position - 1);
    cap = {
      depth: 1,
      start,
      insertAt: start + 1 + tag.name.length,
      frames: [],
      needed: undefined,
      parent,
      asSegment,
      ns: tag.uri,
      local: tag.local,
    };
    captureOpen(cap, tag);
  };

  const endCapture = (c: Capture): void => {
    const end = parser.position;
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
      const node = newNode(c.ns, c.local);
      node.raw = raw.indexOf('\r') < 0 ? raw : raw.replace(/\r\n?/g, '\n');
      c.parent.children.push(node);
    }
  };

  // Thrown as soon as saxes has skimmed the DOCTYPE, before any element is read.
  parser.on('doctype', () => {
    throw dtdForbidden();
  });

  parser.on('opentag', (tag) => {
    if (cap !== undefined) {
      cap.depth++;
      captureOpen(cap, tag);
      return;
    }
    if (skipDepth > 0) {
      skipDepth++;
      return;
    }
    const parent = top;
    if (parent === undefined) {
      // Read here: saxes resets xmlDecl when the document ends.
      const enc = parser.xmlDecl.encoding;
      if (strictEncoding && enc !== undefined && !/^(utf-?8|us-ascii)$/i.test(enc)) {
        throw new BeskedError(
          'BESKED_XML_MALFORMED',
          `the XML declaration names encoding "${enc}"; only UTF-8 is accepted`,
        );
      }
      if (!(
        (tag.uri === NS_KUVERT && tag.local === 'Haendelsesbesked') ||
        (tag.uri === NS_STS && tag.local === 'ModtagBeskedInput')
      )) {
        throw new BeskedError(
          'BESKED_ROOT_UNKNOWN',
          `root element ${tag.local} in namespace ${tag.uri === '' ? '(none)' : tag.uri} is not ${KNOWN_ROOTS}`,
          { path: tag.local },
        );
      }
    } else {
      switch (modeOf(parent)) {
        case 'beskeddata':
          if (tag.uri === NS_BASE64 && tag.local === 'Base64') break;
          startCapture(tag, parent, true);
          return;
        case 'captureAll':
          startCapture(tag, parent, false);
          return;
        case 'captureForeign':
          if (tag.uri === NS_KUVERT) break;
          startCapture(tag, parent, false);
          return;
        case 'textOnly':
          throw new BeskedError(
            'BESKED_VALUE_INVALID',
            `${parent.local} must contain Base64 text only, found element ${tag.local}`,
          );
        case 'tree':
          if (!isEnvelopeNs(tag.uri)) {
            skipDepth = 1; // an unknown element inside the envelope: ignored with its content
            return;
          }
      }
    }
    const node = newNode(tag.uri, tag.local);
    if (node.ns === NS_BASE64) {
      const attrs: Record<string, string> = {};
      for (const name in tag.attributes) {
        const a = tag.attributes[name]!;
        if (a.prefix === '') attrs[a.local] = a.value;
      }
      node.attrs = attrs;
    } else if (node.local === 'Beskeddata' && node.ns === NS_KUVERT) {
      node.contentStart = parser.position;
    }
    if (parent === undefined) root = node;
    else parent.children.push(node);
    stack.push(node);
    top = node;
  });

  parser.on('closetag', (tag) => {
    if (cap !== undefined) {
      if (--cap.depth === 0) {
        endCapture(cap);
        cap = undefined;
      } else {
        cap.frames.pop();
      }
      return;
    }
    if (skipDepth > 0) {
      skipDepth--;
      return;
    }
    const node = stack.pop()!;
    if (node.contentStart > 0) {
      node.contentEnd = tag.isSelfClosing ? node.contentStart : xml.lastIndexOf('</', parser.position - 1);
    }
    top = stack[stack.length - 1];
  });

  const onText = (text: string): void => {
    if (cap === undefined && skipDepth === 0 && top !== undefined) top.text += text;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);

  try {
    parser.write(xml).close();
  } catch (err) {
    if (err instanceof BeskedError) throw err;
    throw malformed(parser, xml, err);
  }
  if (root === undefined) {
    throw new BeskedError('BESKED_XML_MALFORMED', 'document has no root element');
  }
  return { root };
}
