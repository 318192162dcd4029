import { createHash } from 'node:crypto';
import type { Address, Person } from './person';
import type { SimEvent } from './sim-event';
import { xmlEscape as x } from '../xml-escape';

/** Namespace of the simulator's payload: its own, so nobody takes it for KOMBIT's or CPR's. */
export const PERSON_PAYLOAD_NS = 'urn:cpr-haendelser:sim:person:1';

/**
 * A stable UUID-shaped id for one part of one event (no PRNG draw, so seeded runs do not shift).
 * Synthetic like everything here: it names no real DAR address or CPR actor.
 */
function simUuid(...parts: string[]): string {
  const h = createHash('sha1').update(parts.join('|')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function virkning(fra: string): string {
  return `<Virkning><FraTidspunkt>${fra}</FraTidspunkt></Virkning>`;
}

function adresseXml(a: Address, fra: string): string {
  return (
    `<Adresse><DarAdresseId>${simUuid('adresse', a.kommunekode, a.vejnavn, a.husnummer, a.postnummer)}</DarAdresseId>` +
    `<Vejnavn>${x(a.vejnavn)}</Vejnavn><Husnummer>${x(a.husnummer)}</Husnummer>` +
    (a.etage !== undefined ? `<Etage>${x(a.etage)}</Etage>` : '') +
    (a.sidedoer !== undefined ? `<Sidedoer>${x(a.sidedoer)}</Sidedoer>` : '') +
    `<Postnummer>${x(a.postnummer)}</Postnummer><Bynavn>${x(a.bynavn)}</Bynavn>` +
    `<Kommunekode>${x(a.kommunekode)}</Kommunekode>` +
    `<Vejkode>${String(parseInt(simUuid('vejkode', a.vejnavn).slice(0, 4), 16) % 9999).padStart(4, '0')}</Vejkode>` +
    `<AdresseringsNavn>${x(a.vejnavn)} ${x(a.husnummer)}</AdresseringsNavn>` +
    virkning(fra) +
    `</Adresse>`
  );
}

/** What CPR keeps beside the changed fields: registration, citizenship, church, protections. */
function stamdataXml(p: Person, fra: string, born: string): string {
  return (
    `<Navn><AdresseringsNavn>${x(p.efternavn)},${x(p.fornavn)}</AdresseringsNavn>` +
    `${virkning(born)}</Navn>` +
    `<Statsborgerskab><Landekode>5100</Landekode><Fra>${born}</Fra></Statsborgerskab>` +
    `<Foedested>${x(p.adresse?.kommunekode ?? '0101')}</Foedested>` +
    `<Folkekirkeforhold>F</Folkekirkeforhold>` +
    `<Beskyttelser><Adressebeskyttelse>false</Adressebeskyttelse>` +
    `</Beskyttelser>` +
    `<CivilstandFra>${fra}</CivilstandFra>` +
    `<StatusFra>${fra}</StatusFra>`
  );
}

/**
 * The person after the event, as the Base64 payload of the envelope, with the registration and
 * effect periods CPR keeps around the changed fields (so a payload weighs what a real one does, and
 * an envelope 4-6 KB). `testdata="true"` marks every record as synthetic.
 */
export function personPayloadXml(event: SimEvent): string {
  const p = event.person;
  const a = p.adresse;
  const fra = event.tidspunkt.toISOString();
  const born = `${p.foedselsdato}T00:00:00.000Z`;
  const aktoer = simUuid('aktoer', p.cpr.slice(0, 4));
  const previous =
    event.kommunekoder.length > 1 || (a === null && event.kommunekoder.length === 1)
      ? `<FraKommunekode>${x(event.kommunekoder[event.kommunekoder.length - 1] as string)}</FraKommunekode>`
      : '';
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<Person xmlns="${PERSON_PAYLOAD_NS}" testdata="true">` +
    `<Haendelse>${event.kind}</Haendelse>` +
    `<Virkningstidspunkt>${fra}</Virkningstidspunkt>` +
    `<Registrering><RegistreringId>${simUuid('registrering', event.beskedId)}</RegistreringId>` +
    `<Tidspunkt>${fra}</Tidspunkt><AktoerRef>${aktoer}</AktoerRef><Livscyklus>Rettet</Livscyklus></Registrering>` +
    `<CprNummer>${p.cpr}</CprNummer>` +
    `<Fornavne>${x(p.fornavn)}</Fornavne><Efternavn>${x(p.efternavn)}</Efternavn>` +
    `<Koen>${p.koen}</Koen><Foedselsdato>${p.foedselsdato}</Foedselsdato>` +
    `<Status>${p.status}</Status><Civilstand>${p.civilstand}</Civilstand>` +
    stamdataXml(p, fra, born) +
    (a ? adresseXml(a, fra) : '') +
    previous +
    `</Person>`
  );
}
