import type { Aktoer, SoegKriterier, VaerdilisteIndhold } from './vaerdiliste-types';

/*
 * Request bodies for the `soap` client. Every key carries its namespace prefix (vl: the
 * operations' namespace, sd: urn:oio:sagdok:3.0.0) because `soap` guesses wrong for element
 * refs into the sagdok schema (it writes vl:UUIDIdentifikator); `sd` is declared on the
 * envelope. Keys are in schema order.
 */
export type RequestBody = Record<string, unknown>;

const note = (tekst: string | undefined): RequestBody =>
  tekst === undefined ? {} : { 'sd:NoteTekst': tekst };

function attributListe(indhold: VaerdilisteIndhold, aktoer: Aktoer): RequestBody {
  return {
    'vl:AttributListe': {
      'vl:Egenskab': [
        {
          ...(indhold.brugervendtNoegle === undefined
            ? {}
            : { 'sd:BrugervendtNoegleTekst': indhold.brugervendtNoegle }),
          'vl:Vaerdiliste': { 'vl:Navn': indhold.navn, 'vl:Vaerdi': [...indhold.vaerdier] },
          'sd:Virkning': {
            'sd:AktoerRef': { 'sd:UUIDIdentifikator': aktoer.uuid },
            'sd:AktoerTypeKode': aktoer.typeKode,
          },
        },
      ],
    },
  };
}

export function opretRequest(indhold: VaerdilisteIndhold, aktoer: Aktoer, noteTekst?: string): RequestBody {
  return {
    ...note(noteTekst),
    ...attributListe(indhold, aktoer),
    'vl:TilstandListe': {},
    'vl:RelationListe': {},
  };
}

/** ImportInput: the whole list under a UUID the caller chose, as one registration. */
export function importRequest(
  uuid: string,
  indhold: VaerdilisteIndhold,
  aktoer: Aktoer,
  noteTekst?: string,
  now = new Date(),
): RequestBody {
  return {
    ...note(noteTekst),
    'vl:Vaerdiliste': {
      'sd:UUIDIdentifikator': uuid,
      'vl:Registrering': [
        {
          'sd:FraTidspunkt': { 'sd:TidsstempelDatoTid': now.toISOString() },
          'sd:LivscyklusKode': 'Importeret',
          ...attributListe(indhold, aktoer),
          'vl:TilstandListe': {},
          'vl:RelationListe': {},
        },
      ],
    },
  };
}

export function retRequest(
  uuid: string,
  indhold: VaerdilisteIndhold,
  aktoer: Aktoer,
  noteTekst?: string,
): RequestBody {
  return { 'sd:UUIDIdentifikator': uuid, ...note(noteTekst), ...attributListe(indhold, aktoer) };
}

/** LaesInput, PassiverInput, SletInput. */
export function uuidRequest(uuid: string, noteTekst?: string): RequestBody {
  return { 'sd:UUIDIdentifikator': uuid, ...note(noteTekst) };
}

export function listRequest(uuids: readonly string[]): RequestBody {
  return { 'sd:UUIDIdentifikator': [...uuids] };
}

export function soegRequest(k: SoegKriterier): RequestBody {
  const egenskab: RequestBody = {
    ...(k.brugervendtNoegle === undefined ? {} : { 'sd:BrugervendtNoegleTekst': k.brugervendtNoegle }),
    ...(k.navn === undefined ? {} : { 'vl:Vaerdiliste': { 'vl:Navn': k.navn } }),
  };
  const hasEgenskab = Object.keys(egenskab).length > 0;
  return {
    ...(k.foerste === undefined ? {} : { 'sd:FoersteResultatReference': k.foerste }),
    ...(k.maks === undefined ? {} : { 'sd:MaksimalAntalKvantitet': k.maks }),
    'vl:SoegObjekt': {
      ...(k.uuid === undefined ? {} : { 'sd:UUIDIdentifikator': k.uuid }),
      ...(hasEgenskab ? { 'vl:SoegAttributListe': { 'vl:SoegEgenskab': [egenskab] } } : {}),
    },
  };
}

/** TilfoejVaerdierInput, FjernVaerdierInput. */
export function vaerdierRequest(uuid: string, vaerdier: readonly string[]): RequestBody {
  return { 'sd:UUIDIdentifikator': uuid, 'vl:Vaerdier': [...vaerdier] };
}

/**
 * FlytBeskedTilFejlkoeInput: the message itself, as received (soap's `$xml` writes it verbatim
 * inside the input element). The XML declaration is dropped: it cannot stand inside a document.
 */
export function flytRequest(haendelsesbeskedXml: string): RequestBody {
  return { $xml: haendelsesbeskedXml.replace(/^\uFEFF?\s*<\?xml[^?]*\?>\s*/, '') };
}
