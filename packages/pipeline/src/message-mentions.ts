import { cprNumbersIn } from '@cprh/besked';

/** Runs that may be Base64 (a payload inside the envelope); whitespace inside is allowed. */
const BASE64_RUN = /[A-Za-z0-9+/]{4}(?:[A-Za-z0-9+/=\s]){20,}/g;

/**
 * Whether a message or entry mentions one of `cprs` (ten digits each): in its text, with or
 * without the dash, or inside a Base64 payload (the envelope carries the person's data encoded).
 */
export function mentionsAny(text: string, cprs: ReadonlySet<string>): boolean {
  if (cprNumbersIn(text).some((c) => cprs.has(c))) return true;
  for (const m of text.matchAll(BASE64_RUN)) {
    const decoded = Buffer.from(m[0].replace(/\s+/g, ''), 'base64').toString('utf8');
    if (cprNumbersIn(decoded).some((c) => cprs.has(c))) return true;
  }
  return false;
}
