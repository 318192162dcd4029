import { checkCprNumber } from './cpr-number';

/** Ten digits, or six, a dash and four, not part of a longer run of digits. */
const CPR_SHAPED = /(?<!\d)\d{6}-?\d{4}(?!\d)/g;

/**
 * The CPR numbers in a text, as ten digits, each once: every DDMMYYSSSS or DDMMYY-SSSS whose first
 * six digits are a real date (so epoch seconds, 13-digit times and most other numbers are not
 * taken for one). Used to find a person's data (`cprh erase`) and to prove where none is kept.
 */
export function cprNumbersIn(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(CPR_SHAPED)) {
    const check = checkCprNumber(m[0]);
    if (check.ok) out.add(check.cpr);
  }
  return [...out];
}

/** What a masked CPR number shows as (the same as on the board). */
export const CPR_MASK = 'xxxxxx-xxxx';

/**
 * Every CPR-shaped run (ten digits, or DDMMYY-SSSS) replaced by CPR_MASK, valid date or not: a
 * masked timestamp costs nothing, a missed CPR number is a leak. The board masks the same way.
 */
export function maskCprNumbers(text: string): string {
  return text.replace(CPR_SHAPED, CPR_MASK);
}
