/** A simulated person as the payload describes them after an event. */
export interface Address {
  readonly vejnavn: string;
  readonly husnummer: string;
  readonly etage?: string;
  readonly sidedoer?: string;
  readonly postnummer: string;
  readonly bynavn: string;
  readonly kommunekode: string;
}

export type Koen = 'M' | 'K';
/** CPR civil status letters: ugift, gift, fraskilt, enke/enkemand. */
export type Civilstand = 'U' | 'G' | 'F' | 'E';
/** CPR status codes: 01 resident, 80 emigrated, 90 dead. */
export type PersonStatus = '01' | '80' | '90';

export interface Person {
  readonly cpr: string;
  readonly fornavn: string;
  readonly efternavn: string;
  readonly koen: Koen;
  readonly foedselsdato: string; // YYYY-MM-DD
  readonly status: PersonStatus;
  readonly civilstand: Civilstand;
  readonly adresse: Address | null;
}
