import type { Prng } from './prng';

/**
 * A fictitious CPR number: DDMMYY of a real birth date, a 7th digit that fits the century as
 * the CPR office assigns them (0-3 for 1900-99, 4-9 for 2000-36, 5-8 later), two more digits, and a last digit that is odd for men and even
 * for women. Since 2007 CPR numbers need not pass the modulus-11 check, so none is applied.
 * Always a 10-character string (leading zeros matter).
 */
export function makeCprNumber(birth: string, male: boolean, prng: Prng): string {
  const [y, m, d] = birth.split('-') as [string, string, string];
  const year = Number(y);
  let seventh: number;
  if (year < 2000) seventh = prng.int(0, 3);
  else if (year <= 2036) seventh = prng.int(4, 9);
  else seventh = prng.int(5, 8);
  const middle = prng.int(0, 99).toString().padStart(2, '0');
  const last = prng.int(0, 4) * 2 + (male ? 1 : 0);
  return `${d}${m}${y.slice(2)}${seventh}${middle}${last}`;
}

/** Ten digits whose first six are a real date DDMMYY. */
export function isPlausibleCprNumber(cpr: string): boolean {
  if (!/^\d{10}$/.test(cpr)) return false;
  const d = Number(cpr.slice(0, 2));
  const m = Number(cpr.slice(2, 4));
  if (m < 1 || m > 12 || d < 1) return false;
  // Any year: Feb 29 is allowed since some century gives a leap year for every YY.
  const max = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] as number;
  return d <= max;
}
