/**
 * Ten digits, optionally DDMMYY-SSSS, not part of a longer digit run. Every such run is masked,
 * valid birth date or not: a masked timestamp costs nothing, a missed CPR number is a leak.
 */
const CPR_NUMBER = /(?<!\d)\d{6}-?\d{4}(?!\d)/g;

export const CPR_MASK = 'xxxxxx-xxxx';

export function maskCprNumbers(text: string): string {
  return text.replace(CPR_NUMBER, CPR_MASK);
}
