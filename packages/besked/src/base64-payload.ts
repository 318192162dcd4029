import { BeskedError } from './besked-error';

const BASE64_TEXT = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes the text of a `<Base64>` Beskeddata wrapper. Strict: characters outside the Base64
 * alphabet, or bytes that are not valid in the named character encoding (default UTF-8), are errors.
 */
export function decodeBase64Payload(text: string, encoding: string | undefined, path: string): string {
  if (!BASE64_TEXT.test(text)) {
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
