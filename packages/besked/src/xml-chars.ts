/**
 * XML 1.0 (fifth edition) character classes, as saxes 6 applies them (its xmlchars ed5 tables):
 * name characters by code point (astral ones as one code point), whitespace, Char for references.
 */

/** ASCII: bit 1 = NameChar, bit 2 = NameStartChar (':' is both; NCName callers exclude it). */
export const ASCII_NAME = new Uint8Array(128);
const ASCII = ASCII_NAME;
for (let c = 0; c < 128; c++) {
  const start = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 58;
  const name = start || (c >= 48 && c <= 57) || c === 45 || c === 46;
  ASCII[c] = (name ? 1 : 0) | (start ? 2 : 0);
}

export function isNameStartCode(c: number): boolean {
  if (c < 128) return c >= 0 && (ASCII[c]! & 2) !== 0;
  return (
    (c >= 0xc0 && c <= 0xd6) ||
    (c >= 0xd8 && c <= 0xf6) ||
    (c >= 0xf8 && c <= 0x2ff) ||
    (c >= 0x370 && c <= 0x37d) ||
    (c >= 0x37f && c <= 0x1fff) ||
    c === 0x200c ||
    c === 0x200d ||
    (c >= 0x2070 && c <= 0x218f) ||
    (c >= 0x2c00 && c <= 0x2fef) ||
    (c >= 0x3001 && c <= 0xd7ff) ||
    (c >= 0xf900 && c <= 0xfdcf) ||
    (c >= 0xfdf0 && c <= 0xfffd) ||
    (c >= 0x10000 && c <= 0xeffff)
  );
}

export function isNameCode(c: number): boolean {
  if (c < 128) return c >= 0 && (ASCII[c]! & 1) !== 0;
  return c === 0xb7 || (c >= 0x300 && c <= 0x36f) || c === 0x203f || c === 0x2040 || isNameStartCode(c);
}

/** XML's S: space, tab, line feed, carriage return. */
export function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** XML 1.0 Char (what a character reference may denote); false for NaN. */
export function isXmlChar(c: number): boolean {
  return (
    c === 0x09 ||
    c === 0x0a ||
    c === 0x0d ||
    (c >= 0x20 && c <= 0xd7ff) ||
    (c >= 0xe000 && c <= 0xfffd) ||
    (c >= 0x10000 && c <= 0x10ffff)
  );
}

/**
 * A character XML 1.0 forbids in a document, as it can occur in decoded text (decode-input never
 * yields a lone surrogate): C0 controls other than tab, LF, CR, and U+FFFE / U+FFFF.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
export const FORBIDDEN_CHAR = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/;
