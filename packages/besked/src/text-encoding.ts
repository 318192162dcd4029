import { BeskedError } from './besked-error';

/** The encodings a message may be in (XML 1.0 §4.3.3 and Appendix F: BOM, then the declaration). */
export type TextEncoding = 'UTF-8' | 'UTF-16LE' | 'UTF-16BE' | 'ISO-8859-1' | 'windows-1252' | 'US-ASCII';

/** Where the text starts (after a BOM) and how it is encoded. */
export interface DetectedEncoding {
  encoding: TextEncoding;
  start: number;
}

/** Declared names we accept (lower case), per family; UTF-16 is resolved by the BOM. */
const DECLARED: Record<string, TextEncoding | 'UTF-16'> = {
  'utf-8': 'UTF-8',
  utf8: 'UTF-8',
  'utf-16': 'UTF-16',
  'utf-16le': 'UTF-16LE',
  'utf-16be': 'UTF-16BE',
  'iso-8859-1': 'ISO-8859-1',
  iso8859_1: 'ISO-8859-1',
  'iso_8859-1': 'ISO-8859-1',
  'iso8859-1': 'ISO-8859-1',
  latin1: 'ISO-8859-1',
  l1: 'ISO-8859-1',
  'windows-1252': 'windows-1252',
  cp1252: 'windows-1252',
  'us-ascii': 'US-ASCII',
  ascii: 'US-ASCII',
};

/** An XML declaration's encoding, read from bytes of an ASCII-compatible encoding. */
const DECL_ENCODING = /^<\?xml\s[^?>]*?encoding\s*=\s*(?:"([^"]*)"|'([^']*)')/;

function declaredIn(prefix: string): string | undefined {
  const m = DECL_ENCODING.exec(prefix);
  return m === null ? undefined : (m[1] ?? m[2]);
}

function bomOf(b: Uint8Array): DetectedEncoding | undefined {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { encoding: 'UTF-8', start: 3 };
  if (b[0] === 0xff && b[1] === 0xfe) return { encoding: 'UTF-16LE', start: 2 };
  if (b[0] === 0xfe && b[1] === 0xff) return { encoding: 'UTF-16BE', start: 2 };
  return undefined;
}

/** The bytes' first characters as text, enough for an XML declaration. */
function prefixText(b: Uint8Array, bom: DetectedEncoding | undefined): string {
  const start = bom?.start ?? 0;
  const wide = bom !== undefined && bom.encoding !== 'UTF-8';
  let length = Math.min(b.byteLength - start, 512);
  if (wide) length -= length % 2;
  const head = Buffer.from(b.buffer, b.byteOffset + start, length);
  if (bom?.encoding === 'UTF-16LE') return head.toString('utf16le');
  if (bom?.encoding === 'UTF-16BE') return Buffer.from(head).swap16().toString('utf16le');
  return head.toString('latin1');
}

function invalid(message: string): BeskedError {
  return new BeskedError('BESKED_ENCODING_INVALID', message);
}

/**
 * Which encoding the bytes are in: a BOM decides first, else the XML declaration, else UTF-8.
 * A declaration that contradicts the BOM, or names an encoding we do not read, is refused.
 */
export function detectEncoding(bytes: Uint8Array): DetectedEncoding {
  const bom = bomOf(bytes);
  return fromDeclaration(bom, declaredIn(prefixText(bytes, bom)));
}

/**
 * detectEncoding of the bytes of an ASCII text (no BOM can be ASCII), read from the text itself:
 * the same answer without making the bytes.
 */
export function detectEncodingOfAscii(text: string): DetectedEncoding {
  return fromDeclaration(undefined, declaredIn(text.slice(0, 512)));
}

function fromDeclaration(bom: DetectedEncoding | undefined, name: string | undefined): DetectedEncoding {
  if (name === undefined) return bom ?? { encoding: 'UTF-8', start: 0 };
  const declared = DECLARED[name.toLowerCase()];
  const shown = name.length > 40 ? `${name.slice(0, 40)}...` : name;
  if (declared === undefined) {
    throw invalid(
      `the XML declaration names encoding "${shown}"; supported: UTF-8, UTF-16, ISO-8859-1, windows-1252, US-ASCII`,
    );
  }
  if (bom === undefined) {
    if (declared.startsWith('UTF-16'))
      throw invalid(`the XML declaration names "${shown}" but there is no UTF-16 byte order mark`);
    return { encoding: declared as TextEncoding, start: 0 };
  }
  const agrees = declared === bom.encoding || (declared === 'UTF-16' && bom.encoding !== 'UTF-8');
  if (!agrees)
    throw invalid(`the byte order mark says ${bom.encoding} but the XML declaration names "${shown}"`);
  return bom;
}

/** Whether a name in an XML declaration denotes the encoding the text was decoded from. */
export function declarationAgrees(name: string, encoding: TextEncoding): boolean {
  const declared = DECLARED[name.toLowerCase()];
  return declared === encoding || (declared === 'UTF-16' && encoding.startsWith('UTF-16'));
}
