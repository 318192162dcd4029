import { BeskedError } from './besked-error';

/** The errors both envelope readers raise for XML they refuse (same codes, same message shape). */

export function dtdForbidden(): BeskedError {
  return new BeskedError(
    'BESKED_DTD_FORBIDDEN',
    'DOCTYPE declaration refused (DTDs and entity declarations are never processed)',
  );
}

/** 1-based line and column of the character before absolute position `pos` (XML line breaks). */
export function locate(xml: string, pos: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < pos && i < xml.length; i++) {
    const c = xml.charCodeAt(i);
    if (c === 10 || (c === 13 && xml.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: Math.max(1, pos - lineStart) };
}

/**
 * A well-formedness error (`detail` in saxes' words) as BESKED_XML_MALFORMED with line and column;
 * BESKED_DTD_FORBIDDEN when it concerns a DOCTYPE or the text holds an entity declaration.
 */
export function malformedAt(xml: string, pos: number, detail: string, cause?: unknown): BeskedError {
  const { line, column } = locate(xml, pos);
  // `<!ENTITY` outside a DOCTYPE is not well-formed, but the intent is an entity declaration.
  if (/doctype/i.test(detail) || xml.indexOf('<!ENTITY') >= 0) {
    return new BeskedError(
      'BESKED_DTD_FORBIDDEN',
      `DTD or entity declaration refused at line ${line}, column ${column}`,
      { cause },
    );
  }
  return new BeskedError(
    'BESKED_XML_MALFORMED',
    `XML is not well-formed at line ${line}, column ${column}: ${detail}`,
    { cause },
  );
}
