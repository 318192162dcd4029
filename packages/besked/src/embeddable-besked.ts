import { SaxesParser } from 'saxes';
import { BeskedError } from './besked-error';
import { decodeInput } from './decode-input';
import { NS_KUVERT } from './namespaces';
import { DEFAULT_MAX_BYTES } from './parse-options';

export type EmbeddableBesked =
  { readonly ok: true; readonly xml: string } | { readonly ok: false; readonly reason: string };

const XML_DECLARATION = /^\s*<\?xml\s[^?]*\?>/;

/**
 * A message as XML text that can be placed inside another document, as FlytBeskedTilFejlkoeInput
 * carries the Haendelsesbesked: decoded from its bytes, well-formed, without DTD, with
 * kuvert:Haendelsesbesked as root; its XML declaration dropped (the text is no longer in the
 * encoding it declared). Otherwise why not, in words without the message's content.
 */
export function embeddableHaendelsesbesked(
  bytes: Uint8Array,
  maxBytes = DEFAULT_MAX_BYTES,
): EmbeddableBesked {
  let text: string;
  try {
    text = decodeInput(bytes, maxBytes).text;
  } catch (err) {
    return { ok: false, reason: err instanceof BeskedError ? err.code : 'cannot be decoded' };
  }
  const problem = checkDocument(text);
  if (problem !== undefined) return { ok: false, reason: problem };
  return { ok: true, xml: text.replace(XML_DECLARATION, '').trim() };
}

function checkDocument(text: string): string | undefined {
  const parser = new SaxesParser({ xmlns: true, position: false });
  let problem: string | undefined;
  let root = true;
  parser.on('doctype', () => {
    problem ??= 'has a DTD';
  });
  parser.on('opentag', (tag) => {
    if (root && (tag.local !== 'Haendelsesbesked' || tag.uri !== NS_KUVERT))
      problem ??= 'root is not kuvert:Haendelsesbesked';
    root = false;
  });
  try {
    parser.write(text).close();
  } catch {
    return 'not well-formed XML';
  }
  return root ? 'no root element' : problem;
}
