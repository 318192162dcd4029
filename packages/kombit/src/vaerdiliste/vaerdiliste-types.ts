/** The AktoerTypeKode values of urn:oio:sagdok:3.0.0. */
export type AktoerTypeKode =
  | 'Organisation'
  | 'OrganisationEnhed'
  | 'OrganisationFunktion'
  | 'Bruger'
  | 'ItSystem'
  | 'Interessefaellesskab';

/** Who makes a change, written into each Egenskab's Virkning. */
export interface Aktoer {
  readonly uuid: string;
  readonly typeKode: AktoerTypeKode;
}

/** The attributes of a value list (one Egenskab): its name, user key and values. */
export interface VaerdilisteIndhold {
  readonly navn: string;
  readonly brugervendtNoegle?: string;
  readonly vaerdier: readonly string[];
}

/** A value list as BeskedfordelerService answers it. */
export interface Vaerdiliste extends VaerdilisteIndhold {
  /** Absent only in a ListOutput whose results cannot be matched to the ids asked for. */
  readonly uuid?: string;
  /** LivscyklusKode: Opstaaet, Importeret, Passiveret, Slettet, Rettet. */
  readonly livscyklus?: string;
  /** FraTidspunkt of the registration. */
  readonly fra?: string;
}

export interface SoegKriterier {
  readonly uuid?: string;
  readonly navn?: string;
  readonly brugervendtNoegle?: string;
  /** FoersteResultatReference: skip this many hits. */
  readonly foerste?: number;
  /** MaksimalAntalKvantitet. */
  readonly maks?: number;
}
