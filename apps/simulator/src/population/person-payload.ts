import type { SimEvent } from './sim-event';
import { xmlEscape as x } from '../xml-escape';

/** Namespace of the simulator's payload: its own, so nobody takes it for KOMBIT's or CPR's. */
export const PERSON_PAYLOAD_NS = 'urn:cpr-haendelser:sim:person:1';

/**
 * The person after the event, as the Base64 payload of the envelope. `testdata="true"` marks
 * every record as synthetic.
 */
export function personPayloadXml(event: SimEvent): string {
  const p = event.person;
  const a = p.adresse;
  const adresse = a
    ? `<Adresse><Vejnavn>${x(a.vejnavn)}</Vejnavn><Husnummer>${x(a.husnummer)}</Husnummer>` +
      (a.etage !== undefined ? `<Etage>${x(a.etage)}</Etage>` : '') +
      (a.sidedoer !== undefined ? `<Sidedoer>${x(a.sidedoer)}</Sidedoer>` : '') +
      `<Postnummer>${x(a.postnummer)}</Postnummer><Bynavn>${x(a.bynavn)}</Bynavn>` +
      `<Kommunekode>${x(a.kommunekode)}</Kommunekode></Adresse>`
    : '';
  const previous =
    event.kommunekoder.length > 1 || (a === null && event.kommunekoder.length === 1)
      ? `<FraKommunekode>${x(event.kommunekoder[event.kommunekoder.length - 1] as string)}</FraKommunekode>`
      : '';
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<Person xmlns="${PERSON_PAYLOAD_NS}" testdata="true">` +
    `<Haendelse>${event.kind}</Haendelse>` +
    `<Virkningstidspunkt>${event.tidspunkt.toISOString()}</Virkningstidspunkt>` +
    `<CprNummer>${p.cpr}</CprNummer>` +
    `<Fornavne>${x(p.fornavn)}</Fornavne><Efternavn>${x(p.efternavn)}</Efternavn>` +
    `<Koen>${p.koen}</Koen><Foedselsdato>${p.foedselsdato}</Foedselsdato>` +
    `<Status>${p.status}</Status><Civilstand>${p.civilstand}</Civilstand>` +
    adresse +
    previous +
    `</Person>`
  );
}
