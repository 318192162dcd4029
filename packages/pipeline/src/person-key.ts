import { createHash } from 'node:crypto';

/**
 * The person key of a message, the unit of the order guarantee: `c-` and the first 128 bits of
 * SHA-256 over the CPR number when the envelope names one, else its inbox job id (a message about
 * no person is its own unit). The hash is written with the letters a-p for the 16 nibble values,
 * so a key holds no digits and can never look like a CPR number to a log or DLP scan; key names,
 * logs and job data never carry the number itself. Key-safe either way: no ':' or spaces, so
 * `<prefix>:order:<person>` stays one key name.
 */
export function personKey(cpr: string | null, jobId: string): string {
  if (cpr === null) return jobId;
  const digest = createHash('sha256').update(`cpr:${cpr}`).digest().subarray(0, 16);
  let out = 'c-';
  for (const byte of digest) out += LETTERS[byte >> 4]! + LETTERS[byte & 15]!;
  return out;
}

const LETTERS = 'abcdefghijklmnop';
