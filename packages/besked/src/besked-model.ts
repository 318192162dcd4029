/**
 * Typed model of a Haendelsesbesked, one field per element of KOMBIT's Beskedkuvert.xsd.
 * Optional elements are `undefined` when absent. Ids and numbers-as-text stay strings as sent.
 */

/** sd:UnikIdType: a UUIDIdentifikator or a URNIdentifikator, the text as sent (trimmed). */
export interface UnikId {
  kind: 'uuid' | 'urn';
  value: string;
}

/**
 * sd:TidspunktType: a TidsstempelDatoTid (xs:dateTime) or a GraenseIndikator (an open bound).
 * `value` is the text as sent; `rfc3339` the same instant with an explicit offset
 * (a zoneless value is Danish local time, see timestamp.ts).
 */
export type Tidspunkt =
  { kind: 'tidsstempel'; value: string; rfc3339: string } | { kind: 'graense'; graenseIndikator: boolean };

/** Content of a `*LokalUdvidelse` or `*Signatur` that the schema leaves open, as self-contained XML text. */
export type ForeignXml = string;

/** The envelope's Base64-wrapped payload (`<Base64 xmlns="urn:besked:kuvert:1.0" ...>`), decoded. */
export interface Base64Beskeddata {
  kind: 'base64';
  contentType: string | undefined;
  encoding: string | undefined;
  fileType: string | undefined;
  /** The decoded payload text. */
  xml: string;
}

/** Inline Beskeddata content, serialized as self-contained XML (namespace declarations it uses included). */
export interface InlineBeskeddata {
  kind: 'inline';
  xml: string;
}

export type Beskeddata = Base64Beskeddata | InlineBeskeddata;

export interface RelateretObjekt {
  objektId: UnikId;
  objektType: UnikId;
  objektRolle: UnikId | undefined;
}

export interface ObjektRegistreringLokalUdvidelse {
  /** AfsenderSystemSignatur's ds:Signature as XML text. */
  afsenderSystemSignatur: ForeignXml | undefined;
  /** Other (foreign-namespace) extension elements as XML text. */
  other: ForeignXml[];
}

export interface ObjektRegistrering {
  objektRegistreringId: UnikId | undefined;
  registreringsAktoer: UnikId | undefined;
  registreringstidspunkt: Tidspunkt | undefined;
  objektAnsvarligMyndighed: UnikId | undefined;
  objektId: UnikId | undefined;
  objektType: UnikId | undefined;
  objektHandling: UnikId | undefined;
  opgaveEmne: UnikId | undefined;
  lokalUdvidelse: ObjektRegistreringLokalUdvidelse | undefined;
}

export interface Filtreringsdata {
  beskedtype: UnikId;
  beskedAnsvarligAktoer: UnikId | undefined;
  tilladteModtagere: UnikId[];
  relateredeObjekter: RelateretObjekt[];
  objektRegistreringer: ObjektRegistrering[];
  tvaergaaendeProcesser: UnikId[];
}

export interface LeveranceruteLokalUdvidelse {
  /** xs:integer; a JavaScript number (counts are small). */
  antalLeveranceforsoeg: number | undefined;
  other: ForeignXml[];
}

export interface Leverancerute {
  fordelingssystem: UnikId | undefined;
  modtagelsesTidspunkt: Tidspunkt | undefined;
  leveranceTidspunkt: Tidspunkt | undefined;
  modtagetFraSystem: UnikId | undefined;
  erLeveretIHenholdTil: UnikId | undefined;
  lokalUdvidelse: LeveranceruteLokalUdvidelse | undefined;
}

export interface LeveranceinformationLokalUdvidelse {
  /** BeskedfordelerSignatur's ds:Signature as XML text. */
  beskedfordelerSignatur: ForeignXml | undefined;
  other: ForeignXml[];
}

export interface Leveranceinformation {
  dannelsestidspunkt: Tidspunkt | undefined;
  transaktionsId: UnikId | undefined;
  kildesystem: UnikId | undefined;
  kildesystemIPAdresse: string | undefined;
  kildesystemAkkreditiver: string | undefined;
  sikkerhedsklassificering: UnikId | undefined;
  /** Leveranceruter/Leverancerute*; undefined when Leveranceruter is absent. */
  leveranceruter: Leverancerute[] | undefined;
  lokalUdvidelse: LeveranceinformationLokalUdvidelse | undefined;
}

export interface Modtagerhandling {
  handling: UnikId | undefined;
  responsmodtager: UnikId | undefined;
}

export interface Beskedkuvert {
  filtreringsdata: Filtreringsdata;
  /** Required by the XSD but not needed to route a message: an empty one stands in when absent. */
  leveranceinformation: Leveranceinformation;
  modtagerhandling: Modtagerhandling | undefined;
  gyldighedFra: Tidspunkt | undefined;
  gyldighedTil: Tidspunkt | undefined;
}

/** A parsed Haendelsesbesked (ns urn:oio:besked:kuvert:1.0). */
export interface Haendelsesbesked {
  /** Which root carried it: a bare Haendelsesbesked (pull) or a ModtagBeskedInput push body. */
  root: 'Haendelsesbesked' | 'ModtagBeskedInput';
  beskedId: UnikId;
  /** Required by the XSD; undefined when a sender left it out (not needed to route). */
  beskedVersion: string | undefined;
  beskedkuvert: Beskedkuvert;
  beskeddata: Beskeddata[];
}
