/**
 * The downstream contract: a CloudEvents 1.0 structured-JSON event per Haendelsesbesked.
 * cloud-event.schema.json is the same contract as JSON Schema. "id" = a UUID in lower case or a
 * URN exactly as given; timestamps are RFC 3339 with an explicit offset.
 */

/** ObjektType of a person (KOMBIT's classification of business objects). */
export const PERSON_OBJEKTTYPE = 'ce7fcf97-a8a2-447a-8690-d38aa0f6e23c';
/** Type of an event about a person (a CPR number or the Person ObjektType in some ObjektRegistrering). */
export const CPR_EVENT_TYPE = 'dk.kombit.cpr.personhaendelse';
/** Type of any other Haendelsesbesked. */
export const BESKED_EVENT_TYPE = 'dk.kombit.beskedfordeler.haendelsesbesked';

/** CloudEvent `source` values: the channel a message came through, as a URI reference. */
export const eventSources = {
  /** Pulled from the AMQP queue (dueslag) with this UUID. */
  dueslag: (uuid: string): string => `urn:kombit:beskedfordeler:dueslag:${uuid.trim().toLowerCase()}`,
  /** Pushed to our ModtagBesked endpoint. */
  push: 'urn:kombit:beskedfordeler:push',
  /** Read from a file by the CLI (`-` for stdin); the name is percent-encoded where a URI needs it. */
  file: (name: string): string => `file:${encodeURIComponent(name)}`,
} as const;

export interface RelateretObjektData {
  objektId: string;
  objektType: string;
  objektRolle: string | null;
  /** Ten digits when objektId is `urn:oio:cpr-nr:NNNNNNNNNN`. */
  cpr: string | null;
}

export interface RegistreringData {
  registreringId: string | null;
  registreringsAktoer: string | null;
  registreringstidspunkt: string | null;
  myndighed: string | null;
  objektId: string | null;
  objektType: string | null;
  handling: string | null;
  /** The catalogue's name for `handling` (e.g. "foedsel"); null when the id is not in the catalogue. */
  haendelse: string | null;
  opgaveEmne: string | null;
  cpr: string | null;
}

export interface BeskeddataData {
  contentType: string | null;
  encoding: string | null;
  fileType: string | null;
  /** The payload: decoded Base64 text, or the inline XML made self-contained. */
  xml: string;
}

export interface CprEventData {
  beskedId: string;
  /** Null only when a sender left BeskedVersion out. */
  beskedVersion: string | null;
  beskedtype: string;
  beskedAnsvarligAktoer: string | null;
  tilladteModtagere: string[];
  transaktionsId: string | null;
  kildesystem: string | null;
  sikkerhedsklassificering: string | null;
  /** Highest AntalLeveranceforsoeg over the Leverancerute elements; null when none has one. */
  antalLeveranceforsoeg: number | null;
  dannelsestidspunkt: string | null;
  gyldighedFra: string | null;
  gyldighedTil: string | null;
  relateredeObjekter: RelateretObjektData[];
  registreringer: RegistreringData[];
  beskeddata: BeskeddataData[];
}

export interface CprCloudEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  datacontenttype: 'application/json';
  /** Dannelsestidspunkt; omitted when the message has none. */
  time?: string;
  /**
   * Extension, present only when true: an earlier event about the same person (by KOMBIT's
   * receive order) was not delivered before this one (dead-lettered, or never stored), or this
   * event is a late delivery itself (a dead-letter replay). Set by the dispatch, never by the parser.
   */
  orderbroken?: true;
  data: CprEventData;
}
