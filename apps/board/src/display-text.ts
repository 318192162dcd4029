const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Bytes of a message as text for display: UTF-16 when a BOM or the `<` of the XML declaration says
 * so, UTF-8 when valid, else Latin-1 (every byte a character). Display only; the worker decodes
 * for real in packages/besked.
 */
export function displayText(bytes: Uint8Array): string {
  const [a, b] = [bytes[0], bytes[1]];
  if ((a === 0xff && b === 0xfe) || (a === 0x3c && b === 0x00))
    return new TextDecoder('utf-16le').decode(bytes);
  if ((a === 0xfe && b === 0xff) || (a === 0x00 && b === 0x3c))
    return new TextDecoder('utf-16be').decode(bytes);
  try {
    return UTF8.decode(bytes);
  } catch {
    return Buffer.from(bytes).toString('latin1');
  }
}
