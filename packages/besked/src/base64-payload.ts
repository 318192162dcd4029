import { BeskedError } from './besked-error';

/** Base64 alphabet with XML whitespace anywhere and at most two '=' at the end. */
export const BASE64_TEXT = /^[A-Za-z0-9+/\t\n\r ]*(?:=[\t\n\r ]*){0,2}$/;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes the text of a `<Base64>` Beskeddata wrapper. Strict: characters outside the Base64
 * alphabet, or bytes that are not valid in the named character encoding (default UTF-8), are errors.
 */
export function decodeBase64Payload(
  text: string,
  encoding: string | undefined,
  path: string,
  checked = false,
): string {
  if (!checked && !BASE64_TEXT.test(text)) {
    throw new BeskedError('BESKED_VALUE_INVALID', `${path}: content is not Base64`, { path });
  }
  const bytes = Buffer.from(text, 'base64');
  const label = encoding === undefined ? '' : encoding.trim().toLowerCase();
  let decoder = UTF8;
  if (label !== '' && label !== 'utf-8' && label !== 'utf8') {
    try {
      decoder = new TextDecoder(label, { fatal: true });
    } catch {
      throw new BeskedError('BESKED_VALUE_INVALID', `${path}: unknown encoding attribute`, { path });
    }
  }
  try {
    return decoder.decode(bytes);
  } catch {
    throw new BeskedError(
      'BESKED_VALUE_INVALID',
      `${path}: decoded payload is not valid ${decoder.encoding}`,
      {
        path,
      },
    );
  }
}
