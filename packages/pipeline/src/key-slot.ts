/**
 * The Redis Cluster slot of a key (CRC16/XMODEM of the key or of its hash tag, mod 16384), as
 * the cluster computes it: used to refuse at start names that a script would touch across slots.
 */
export function keySlot(key: string): number {
  const bytes = Buffer.from(hashedPart(key), 'utf8');
  let crc = 0;
  for (const b of bytes) {
    crc ^= b << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc % 16384;
}

/** The hash tag of a key: what lies between its first `{` and the next `}`, when not empty. */
export function hashTag(key: string): string | undefined {
  const open = key.indexOf('{');
  if (open < 0) return undefined;
  const close = key.indexOf('}', open + 1);
  if (close < 0 || close === open + 1) return undefined;
  return key.slice(open + 1, close);
}

function hashedPart(key: string): string {
  const tag = hashTag(key);
  return tag === undefined ? key : tag;
}
