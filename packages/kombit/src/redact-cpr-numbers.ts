/** Ten digits, or six and four with a dash, not part of a longer number. */
const CPR_LIKE = /(?<!\d)\d{6}-?\d{4}(?!\d)/g;

/**
 * Replaces anything shaped like a CPR number with `[CPR]`: for texts that come from elsewhere
 * (a service's FejlbeskedTekst, a SOAP fault) before they go into an error or a log line.
 */
export function redactCprNumbers(text: string): string {
  return text.replace(CPR_LIKE, '[CPR]');
}
