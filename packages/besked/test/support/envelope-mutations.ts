import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OWN_FIXTURES, SHARED_FIXTURES } from './fixtures';

// Mutations of the real fixture envelopes for the differential tests (a reader of ours against
// saxes, the reference): truncations, character flips, inserted markup and references, renamed
// prefixes and namespaces, whitespace, CDATA, XML declarations, encodings.

/** mulberry32: small, fast, good enough to spread mutations. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function fixtures(): { name: string; text: string }[] {
  const read = (dir: string) =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.xml'))
      .map((f) => ({
        name: f,
        text: readFileSync(join(dir, f))
          .toString('utf8')
          .replace(/^\ufeff/, ''),
      }));
  return [...read(SHARED_FIXTURES), ...read(OWN_FIXTURES)];
}

const SNIPPETS = [
  '<!-- c -->',
  '<!---->',
  '<!-- a -- b -->',
  '<!--->',
  '<?pi body?>',
  '<?pi?>',
  '<? pi?>',
  '<?xml version="1.0"?>',
  '<?XML x?>',
  '<?xml-stylesheet href="a"?>',
  '<?a:b x?>',
  '<![CDATA[x]]>',
  '<![CDATA[]]>',
  '<![CDATA[<&]]]>',
  ']]>',
  ']]',
  '<x/>',
  '<x>',
  '</x>',
  '</>',
  '< x/>',
  '<p:x/>',
  '<x:y xmlns:x="urn:x"/>',
  '<a xmlns="urn:x"/>',
  '<a xmlns=""/>',
  '<Base64 xmlns="urn:besked:kuvert:1.0">QUJD</Base64>',
  '<ds:Signature xmlns:ds="urn:ds"><ds:a/></ds:Signature>',
  '<q:e xmlns:q="urn:q" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="q:T"/>',
  '<e xsi:type="r:T" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>',
  '<p:1x xmlns:p="urn:p"/>',
  '<:x/>',
  '<x:/>',
  '<a:b:c/>',
  '<xmlns:a/>',
  '&amp;',
  '&lt;',
  '&gt;',
  '&quot;',
  '&apos;',
  '&#65;',
  '&#x41;',
  '&#X41;',
  '&#0;',
  '&#9;',
  '&#13;',
  '&#x1F600;',
  '&#xD800;',
  '&#xFFFE;',
  '&#x110000;',
  '&#1;',
  '&#;',
  '&#x;',
  '&nbsp;',
  '&',
  '&;',
  '& ',
  '&amp',
  '&a b;',
  '<!DOCTYPE x>',
  '<!DOCTYPE x SYSTEM "y.dtd">',
  '<!DOCTYPE x [<!ENTITY e "v">]>',
  '<!DOCTYPE x [<!-- c --><?p?>]>',
  '<!doctype x>',
  '<!DOCTYPE',
  '<!ENTITY e "x">',
  '<!ELEMENT x ANY>',
  '<!',
  '<!-',
  '<![CDATA',
  ' xmlns:q="urn:q"',
  ' q:a="1"',
  ' a="1"',
  ' a="1" a="2"',
  " a='x'",
  ' a=1',
  ' a',
  ' a =  "v"',
  ' xmlns:xml="urn:bad"',
  ' xmlns:xml="http://www.w3.org/XML/1998/namespace"',
  ' xmlns:xmlns="urn:x"',
  ' xmlns:p=""',
  ' xmlns=""',
  ' xmlns="http://www.w3.org/2000/xmlns/"',
  ' xml:lang="da"',
  ' a="<"',
  ' a="&#60;"',
  ' a="x&amp;y"',
  ' a="\t\r\n"',
  '/',
  '>',
  '<',
  '"',
  "'",
  '=',
  ':',
  '\u0001',
  '\u0000',
  '\u000b',
  '\ufffe',
  '\uffff',
  '\u0085',
  '\u2028',
  '\ufeff',
  '\r',
  '\r\n',
  '\n',
  '\t',
  ' ',
  '\u00e6\u00f8\u00e5',
  '\ud83d\ude00',
  '\u0300',
  '\u00b7',
  'doctype',
  '<doctype>',
  'Base64',
  '<Base64>',
  '%%%%',
  '====',
  'QUJD',
];

const PREFIXES = ['a', 'ns9', 'xml', 'xmlns', 'doctype', 'x-y', 'x.y', '_', '\u00e6', 'p1', '1p', '', 'A:B'];

const URIS = [
  'urn:oio:besked:kuvert:1.0',
  'urn:oio:sagdok:3.0.0',
  'urn:oio:sts:1.0.0',
  'urn:besked:kuvert:1.0',
  'urn:other',
  '',
  ' urn:oio:besked:kuvert:1.0 ',
  'http://www.w3.org/XML/1998/namespace',
];

export type Rand = () => number;

export function pick<T>(r: Rand, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

export function int(r: Rand, n: number): number {
  return Math.floor(r() * n);
}

/** A position, often next to markup so tags, attributes and declarations are hit. */
function position(r: Rand, s: string): number {
  if (s.length === 0) return 0;
  if (r() < 0.5) {
    const at = int(r, s.length);
    const marks = '<>" =:/&';
    const mark = marks[int(r, marks.length)]!;
    const near = s.indexOf(mark, at);
    if (near >= 0) return near + (r() < 0.5 ? 0 : 1);
  }
  return int(r, s.length + 1);
}

export const MUTATIONS: ((r: Rand, s: string, others: string[]) => string)[] = [
  // truncation
  (r, s) => s.slice(0, position(r, s)),
  // replace one character (a "byte flip" on the text; encodings get their own step)
  (r, s) => {
    const at = int(r, s.length);
    const c = r() < 0.5 ? pick(r, SNIPPETS).charAt(0) : String.fromCharCode(int(r, 0x80));
    return s.slice(0, at) + c + s.slice(at + 1);
  },
  // delete a range
  (r, s) => {
    const at = position(r, s);
    return s.slice(0, at) + s.slice(at + 1 + int(r, 12));
  },
  // duplicate a range
  (r, s) => {
    const at = position(r, s);
    const end = at + 1 + int(r, 40);
    return s.slice(0, end) + s.slice(at, end) + s.slice(end);
  },
  // insert markup, references, characters
  (r, s) => {
    const at = position(r, s);
    return s.slice(0, at) + pick(r, SNIPPETS) + s.slice(at);
  },
  // insert into character data (an element's text, Base64 included)
  (r, s) => {
    const runs = [...s.matchAll(/>([^<]+)</g)];
    if (runs.length === 0) return s;
    const m = pick(r, runs);
    const at = m.index + 1 + int(r, m[1]!.length + 1);
    return s.slice(0, at) + pick(r, SNIPPETS) + s.slice(at);
  },
  // insert into an attribute value, or add an attribute to a start tag
  (r, s) => {
    if (r() < 0.5) {
      const values = [...s.matchAll(/="([^"]*)"/g)];
      if (values.length === 0) return s;
      const m = pick(r, values);
      const at = m.index + 2 + int(r, m[1]!.length + 1);
      return s.slice(0, at) + pick(r, SNIPPETS) + s.slice(at);
    }
    const tags = [...s.matchAll(/<[^/!?][^\s>/]*/g)];
    if (tags.length === 0) return s;
    const m = pick(r, tags);
    const at = m.index + m[0].length;
    const attr = pick(
      r,
      SNIPPETS.filter((x) => x.startsWith(' ')),
    );
    return s.slice(0, at) + attr + s.slice(at);
  },
  // rename a prefix everywhere, or in one place only
  (r, s) => {
    const prefixes = [...new Set([...s.matchAll(/xmlns:([\w.-]+)=/g)].map((m) => m[1]!))];
    if (prefixes.length === 0) return s;
    const from = pick(r, prefixes);
    const to = pick(r, PREFIXES);
    const re = new RegExp(`(<\\/?|xmlns:|\\s)${from.replace(/[.]/g, '\\.')}:|xmlns:${from}=`, 'g');
    let n = 0;
    const once = r() < 0.3 ? int(r, 6) : -1;
    return s.replace(re, (m, lead: string | undefined) => {
      if (once >= 0 && n++ !== once) return m;
      if (lead === undefined) return to === '' ? 'xmlns=' : `xmlns:${to}=`;
      return to === '' ? lead : `${lead}${to}:`;
    });
  },
  // a prefix's declaration becomes the default namespace and its elements unprefixed
  (r, s) => {
    const m =
      /xmlns:([\w.-]+)="([^"]*)"/.exec(s.slice(position(r, s))) ?? /xmlns:([\w.-]+)="([^"]*)"/.exec(s);
    if (m === null) return s;
    const p = m[1]!;
    return s.replace(`xmlns:${p}=`, 'xmlns=').replace(new RegExp(`(<\\/?)${p}:`, 'g'), '$1');
  },
  // change a namespace URI
  (r, s) => {
    const decls = [...s.matchAll(/xmlns(:[\w.-]+)?="([^"]*)"/g)];
    if (decls.length === 0) return s;
    const d = pick(r, decls);
    const at = d.index + d[0].indexOf('"') + 1;
    return s.slice(0, at) + pick(r, URIS) + s.slice(at + d[2]!.length);
  },
  // whitespace: in tags, at the start, as CR LF
  (r, s) => {
    const ws = pick(r, [' ', '\t', '\r\n', '\r', '\n  ', '']);
    switch (int(r, 4)) {
      case 0:
        return ws + s;
      case 1:
        return s.replace(/\n/g, r() < 0.5 ? '\r\n' : '\r');
      case 2: {
        const at = s.indexOf('>', position(r, s));
        return at < 0 ? s : s.slice(0, at) + ws + s.slice(at);
      }
      default: {
        const at = s.indexOf('=', position(r, s));
        return at < 0 ? s : s.slice(0, at) + ws + '=' + ws + s.slice(at + 1);
      }
    }
  },
  // a character of text as a reference
  (r, s) => {
    const at = position(r, s);
    const c = s.codePointAt(at);
    if (c === undefined) return s;
    const ref = pick(r, [
      `&#${c};`,
      `&#x${c.toString(16)};`,
      `&#x${c.toString(16).toUpperCase()};`,
      '&lt;',
      '&amp;',
    ]);
    return s.slice(0, at) + ref + s.slice(at + (c > 0xffff ? 2 : 1));
  },
  // text as CDATA (in Base64 or elsewhere)
  (r, s) => {
    const from = s.indexOf('>', position(r, s)) + 1;
    const to = s.indexOf('<', from);
    if (from <= 0 || to < 0) return s;
    return `${s.slice(0, from)}<![CDATA[${s.slice(from, to)}]]>${s.slice(to)}`;
  },
  // the XML declaration
  (r, s) => {
    const body = s.replace(/^<\?xml[^>]*\?>/, '');
    const decl = pick(r, [
      '',
      '<?xml version="1.0"?>',
      '<?xml version="1.1"?>',
      '<?xml version="2.0"?>',
      "<?xml version='1.0' encoding='utf-8' standalone='yes'?>",
      '<?xml version="1.0" standalone="maybe"?>',
      '<?xml version="1.0"encoding="UTF-8"?>',
      '<?xml encoding="UTF-8"?>',
      '<?xml version="1.0" encoding="UTF-8" ?>',
      '<?xml  version = "1.0"  encoding = "latin1"?>',
      '<?xml version="1.0" encoding="UTF-16"?>',
      '<?xml?>',
      '<?xml version="1.0"',
      ' <?xml version="1.0"?>',
    ]);
    return decl + body;
  },
  // flip the case of a character in a name
  (r, s) => {
    const at = s.indexOf('<', position(r, s));
    if (at < 0 || at + 3 >= s.length) return s;
    const c = s[at + 2]!;
    const flipped = c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase();
    return s.slice(0, at + 2) + flipped + s.slice(at + 3);
  },
  // splice in a piece of another envelope
  (r, s, others) => {
    const o = pick(r, others);
    const from = position(r, o);
    const at = position(r, s);
    return s.slice(0, at) + o.slice(from, from + 1 + int(r, 300)) + s.slice(at);
  },
];

/** The text as bytes: mostly UTF-8, sometimes a BOM, UTF-16, a single-byte encoding, a bad byte. */
export function encode(r: Rand, s: string): Uint8Array {
  const roll = r();
  if (roll < 0.7) return Buffer.from(s, 'utf8');
  if (roll < 0.76) return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(s, 'utf8')]);
  if (roll < 0.82) return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);
  if (roll < 0.86) return Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(s, 'utf16le').swap16()]);
  if (roll < 0.93) {
    const name = pick(r, ['ISO-8859-1', 'windows-1252', 'US-ASCII', 'latin1', 'cp1252']);
    const text = /^<\?xml[^>]*encoding=/.test(s)
      ? s.replace(/encoding=(["'])[^"']*\1/, `encoding="${name}"`)
      : `<?xml version="1.0" encoding="${name}"?>${s.replace(/^<\?xml[^>]*\?>/, '')}`;
    return Buffer.from(text.replace(/[\u0100-\uffff]/g, '?'), 'latin1');
  }
  const bytes = Buffer.from(s, 'utf8');
  if (bytes.length > 0) bytes[int(r, bytes.length)] = int(r, 256);
  return bytes;
}

/** Hand-picked inputs where saxes has a particular way of seeing things. */
export const TRICKY = [
  '<doctype><!-',
  '<doctype:x xmlns:doctype="urn:x"><a></doctype:x>',
  '<Haendelsesbesked xmlns="urn:oio:besked:kuvert:1.0"><doctype>',
  '<Haendelsesbesked xmlns="urn:oio:besked:kuvert:1.0"><x a="1" a="2" xmlns="urn:doctype"/></Haendelsesbesked>',
  '<Haendelsesbesked xmlns="urn:oio:besked:kuvert:1.0"><p:1x xmlns:p="urn:p"/></Haendelsesbesked>',
  '<Haendelsesbesked xmlns="urn:oio:besked:kuvert:1.0"></Haendelsesbesked><!DOCTYPE x>',
  '<!DOCTYPE x [<!-- - -->]>',
  '<!DOCTYPE x [<!-- -- x -->]>',
  '<!DOCTYPE x [<?p ? > ?>]><r/>',
  '<!DOCTYPE x [\u0001]>',
  '<!DOCTYPE x [',
  '\ufeff<?xml version="1.0"?><Haendelsesbesked xmlns="urn:oio:besked:kuvert:1.0"/>',
  '<?xml version="1.1"?><Haendelsesbesked xmlns="urn:oio:besked:kuvert:1.0">\u0085</Haendelsesbesked>',
  '<?xml version="1.0"?><?xml version="1.0"?><r/>',
  '<?pi?><?xml version="1.0"?><r/>',
  '<Haendelsesbesked xmlns="urn:oio:besked:kuvert:1.0"><?Xml x?></Haendelsesbesked>',
  '<Haendelsesbesked xmlns="urn:oio:besked:kuvert:1.0">]]&gt;]]]]></Haendelsesbesked>',
  '<Haendelsesbesked xmlns="urn:oio:besked:kuvert:1.0" a="&#x10FFFF;" b="&#x110000;"/>',
  '<Haendelsesbesked xmlns="urn:oio:besked:kuvert:1.0">&a\n<b>;</Haendelsesbesked>',
  '<Haendelsesbesked xmlns="urn:oio:besked:kuvert:1.0"><!-a-></Haendelsesbesked>',
  '<Haendelsesbesked xmlns="urn:oio:besked:kuvert:1.0"><![CDATA[x]]]></Haendelsesbesked>',
  '<Haendelsesbesked xmlns="urn:oio:besked:kuvert:1.0"></ Haendelsesbesked>',
  '<Haendelsesbesked xmlns="urn:oio:besked:kuvert:1.0"></Haendelsesbesked \r\n>',
  `<Haendelsesbesked xmlns="urn:oio:besked:kuvert:1.0" ${Array.from({ length: 300 }, (_, i) => `a${i}="1"`).join(' ')}`,
  `<Haendelsesbesked xmlns="urn:oio:besked:kuvert:1.0" ${Array.from({ length: 70 }, (_, i) => `xmlns:p${i}="u"`).join(' ')}/>`,
];
