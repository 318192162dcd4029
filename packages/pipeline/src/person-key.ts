import { createHash } from 'node:crypto';

/**
 * The person key of a message, the unit of the order guarantee: `c-` and the first 128 bits of
 * SHA-256 over the CPR number when the envelope names one (key names, logs and job data never
 * carry the number itself), else its inbox job id (a message about no person is its own unit).
 * Key-safe either way: no ':' or spaces, so `<prefix>:order:<person>` stays one key name.
 */
export function personKey(cpr: string | null, jobId: string): string {
  if (cpr === null) return jobId;
  return `c-${createHash('sha256').update(`cpr:${cpr}`).digest('hex').slice(0, 32)}`;
}
