import type { Vaerdiliste } from './vaerdiliste-store';
import { xmlEscape as x } from '../xml-escape';

/*
 * Answers of BeskedfordelerService written by hand: the `soap` package would put every child
 * in the operation's namespace, but StandardRetur, UUIDIdentifikator, FraTidspunkt, Virkning …
 * belong to urn:oio:sagdok:3.0.0 (element refs). Each top-level child declares both prefixes.
 */
export const VL_NS = 'urn:oio:sts:beskedfordeler:vaerdiliste:1.0.0';
export const SD_NS = 'urn:oio:sagdok:3.0.0';
const NS = `xmlns:vl="${VL_NS}" xmlns:sd="${SD_NS}"`;

/** The simulator as actor of the registrations it makes. */
export const SIM_AKTOER = '0c9d8e7f-6a5b-4c3d-9e1f-2a3b4c5d6e7f';

export function standardReturXml(status: number, tekst: string): string {
  return `<sd:StandardRetur ${NS}><sd:StatusKode>${status}</sd:StatusKode><sd:FejlbeskedTekst>${x(tekst)}</sd:FejlbeskedTekst></sd:StandardRetur>`;
}

/** Content of a vl:Registrering (without the element itself). */
function registreringContent(list: Vaerdiliste): string {
  const fra = `<sd:FraTidspunkt><sd:TidsstempelDatoTid>${x(list.fra)}</sd:TidsstempelDatoTid></sd:FraTidspunkt>`;
  return (
    fra +
    `<sd:LivscyklusKode>${list.livscyklus}</sd:LivscyklusKode>` +
    `<vl:AttributListe><vl:Egenskab>` +
    (list.brugervendtNoegle !== undefined
      ? `<sd:BrugervendtNoegleTekst>${x(list.brugervendtNoegle)}</sd:BrugervendtNoegleTekst>`
      : '') +
    `<vl:Vaerdiliste><vl:Navn>${x(list.navn)}</vl:Navn>` +
    list.vaerdier.map((v) => `<vl:Vaerdi>${x(v)}</vl:Vaerdi>`).join('') +
    `</vl:Vaerdiliste>` +
    `<sd:Virkning>${fra}<sd:AktoerRef><sd:UUIDIdentifikator>${SIM_AKTOER}</sd:UUIDIdentifikator></sd:AktoerRef>` +
    `<sd:AktoerTypeKode>ItSystem</sd:AktoerTypeKode></sd:Virkning>` +
    `</vl:Egenskab></vl:AttributListe><vl:TilstandListe/><vl:RelationListe/>`
  );
}

export function registreringXml(list: Vaerdiliste): string {
  return `<vl:Registrering ${NS}>${registreringContent(list)}</vl:Registrering>`;
}

export function vaerdilisteXml(list: Vaerdiliste): string {
  return `<vl:Vaerdiliste ${NS}><sd:UUIDIdentifikator>${x(list.uuid)}</sd:UUIDIdentifikator><vl:Registrering>${registreringContent(list)}</vl:Registrering></vl:Vaerdiliste>`;
}

export function laesResultatXml(list: Vaerdiliste): string {
  return `<vl:LaesResultat ${NS}><vl:Registrering>${registreringContent(list)}</vl:Registrering></vl:LaesResultat>`;
}

export function idListeXml(ids: readonly string[]): string {
  return `<sd:IdListe ${NS}>${ids.map((id) => `<sd:UUIDIdentifikator>${x(id)}</sd:UUIDIdentifikator>`).join('')}</sd:IdListe>`;
}
