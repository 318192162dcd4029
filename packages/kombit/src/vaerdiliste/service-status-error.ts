import { KombitError } from '../kombit-error';
import { maskCprNumbers } from '@cprh/besked';

/**
 * BeskedfordelerService answered, but with a StandardRetur other than 20. Carries the service's
 * StatusKode and FejlbeskedTekst (anything CPR-shaped in the text replaced by `[CPR]`).
 */
export class ServiceStatusError extends KombitError {
  readonly fejlbeskedTekst: string;

  constructor(
    readonly operation: string,
    readonly statusKode: number,
    fejlbeskedTekst: string | undefined,
  ) {
    const tekst = maskCprNumbers(fejlbeskedTekst ?? '').trim();
    super(
      'KOMBIT_SERVICE_STATUS',
      `${operation}: StatusKode ${statusKode}${tekst === '' ? '' : `: ${tekst}`}`,
    );
    this.name = 'ServiceStatusError';
    this.fejlbeskedTekst = tekst;
  }
}
