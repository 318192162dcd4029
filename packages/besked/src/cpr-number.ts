/*
 * CPR numbers as a user types them: DDMMYYSSSS or DDMMYY-SSSS. The birth date's century comes
 * from the 7th digit (the CPR office's table below). No modulus-11 check: numbers issued since
 * 2007 need not pass it.
 */

/** Why a CPR number was refused; worded so it can be shown without the number itself. */
export type CprNumberProblem = 'format' | 'date';

export const CPR_NUMBER_PROBLEMS: Record<CprNumberProblem, string> = {
  format: 'not a CPR number (ten digits, DDMMYYSSSS or DDMMYY-SSSS)',
  date: 'the first six digits are not a real date (DDMMYY, century from the 7th digit)',
};

export type CprNumberCheck =
  { readonly ok: true; readonly cpr: string } | { readonly ok: false; readonly problem: CprNumberProblem };

const FORM = /^(\d{6})-?(\d{4})$/;

/** The four-digit birth year for two-digit year `yy` and 7th digit `seventh`. */
export function cprBirthYear(yy: number, seventh: number): number {
  if (seventh <= 3) return 1900 + yy;
  if (seventh === 4 || seventh === 9) return yy <= 36 ? 2000 + yy : 1900 + yy;
  return yy <= 57 ? 2000 + yy : 1800 + yy; // 5-8
}

function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** Checks one CPR number (surrounding blanks ignored) and returns it as ten digits. */
export function checkCprNumber(input: string): CprNumberCheck {
  const m = FORM.exec(input.trim());
  if (!m) return { ok: false, problem: 'format' };
  const cpr = `${m[1]}${m[2]}`;
  const day = Number(cpr.slice(0, 2));
  const month = Number(cpr.slice(2, 4));
  const year = cprBirthYear(Number(cpr.slice(4, 6)), Number(cpr[6]));
  if (!isRealDate(year, month, day)) return { ok: false, problem: 'date' };
  return { ok: true, cpr };
}
