import { SaxesParser } from 'saxes';
import { beskedToCloudEvent, parseBesked, type Haendelsesbesked } from '../src';
import { expectSchemaValid } from './support/cloud-event-validator';
import { ownFixture } from './support/fixtures';

// fixtures/full-envelope.xml carries every element of Beskedkuvert.xsd at least once.

const PAYLOAD = `<?xml version="1.0" encoding="UTF-8"?>
<cpr:PersonHaendelse xmlns:cpr="urn:example:cpr:haendelse:1">
  <cpr:PNR>0101801234</cpr:PNR>
  <cpr:Navn>Søren Ærø Åberg</cpr:Navn>
  <cpr:Adresse>Østergade 1, 2. th.</cpr:Adresse>
</cpr:PersonHaendelse>`;

const uuid = (value: string) => ({ kind: 'uuid', value });
const urn = (value: string) => ({ kind: 'urn', value });

/** Element namespace URIs of a self-contained XML text, in document order. */
function elementNamespaces(xml: string): string[] {
  const p = new SaxesParser({ xmlns: true });
  const out: string[] = [];
  p.on('opentag', (t) => out.push(`{${t.uri}}${t.local}`));
  p.write(xml).close();
  return out;
}

describe('the typed model of a complete envelope', () => {
  const besked: Haendelsesbesked = parseBesked(ownFixture('full-envelope.xml'));

  it('reads the message head with ids as sent', () => {
    expect(besked.root).toBe('Haendelsesbesked');
    expect(besked.beskedId).toEqual(uuid('6F2C4E1A-9B3D-4C5E-8F70-A1B2C3D4E5F6'));
    expect(besked.beskedVersion).toBe('1.0');
  });

  it('reads Filtreringsdata: every element, repeated ones in order', () => {
    const f = besked.beskedkuvert.filtreringsdata;
    expect(f.beskedtype).toEqual(uuid('248CE14C-A863-4FB5-9E6F-7DF9EA850809'));
    expect(f.beskedAnsvarligAktoer).toEqual(uuid('d92bb9c2-d826-4028-8fb5-d8b88b4377d4'));
    expect(f.tilladteModtagere).toEqual([urn('urn:oio:cvr:29189846'), urn('urn:oio:cvr:55133018')]);
    expect(f.relateredeObjekter).toEqual([
      {
        objektId: urn('urn:oio:cpr-nr:0101801234'),
        objektType: uuid('ce7fcf97-a8a2-447a-8690-d38aa0f6e23c'),
        objektRolle: urn('urn:example:rolle:mor'),
      },
    ]);
    expect(f.tvaergaaendeProcesser).toEqual([
      uuid('9e4a5b6c-7d8e-4f90-a1b2-c3d4e5f60718'),
      urn('urn:example:proces:2'),
    ]);
    expect(f.objektRegistreringer).toHaveLength(2);
    const [first, second] = f.objektRegistreringer;
    expect(first).toEqual({
      objektRegistreringId: uuid('0E0C1D2B-3A4F-4B6C-9D8E-7F6A5B4C3D2E'),
      registreringsAktoer: uuid('D92BB9C2-D826-4028-8FB5-D8B88B4377D4'),
      registreringstidspunkt: {
        kind: 'tidsstempel',
        value: '2024-07-01T06:20:30.125',
        rfc3339: '2024-07-01T06:20:30.125+02:00',
      },
      objektAnsvarligMyndighed: urn('urn:oio:cvr:29189846'),
      objektId: urn('urn:oio:cpr-nr:0101801234'),
      objektType: uuid('ce7fcf97-a8a2-447a-8690-d38aa0f6e23c'),
      objektHandling: urn('urn:cpr-haendelser:sim:handling:flytning'),
      opgaveEmne: urn('urn:oio:kle:27.24.00'),
      lokalUdvidelse: {
        afsenderSystemSignatur:
          '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignatureValue>c2lnbmF0dXJl</ds:SignatureValue></ds:Signature>',
        other: ['<ext:Note xmlns:ext="urn:example:extension" ext:kind="test">afsender</ext:Note>'],
      },
    });
    expect(second).toMatchObject({
      objektRegistreringId: undefined,
      objektId: uuid('11111111-2222-3333-4444-555555555555'),
      objektHandling: uuid('AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE'),
      lokalUdvidelse: undefined,
    });
  });

  it('reads Leveranceinformation including routes, attempts, credentials and the signature', () => {
    const l = besked.beskedkuvert.leveranceinformation;
    expect(l.dannelsestidspunkt).toEqual({
      kind: 'tidsstempel',
      value: '2024-07-01T06:20:30',
      rfc3339: '2024-07-01T06:20:30+02:00',
    });
    expect(l.transaktionsId).toEqual(uuid('3CA4C059-9FAB-4144-B877-FE1E19CB7FBF'));
    expect(l.kildesystem).toEqual(uuid('19dc3a1d-c629-4853-b566-7fe49cf674ce'));
    expect(l.kildesystemIPAdresse).toBe('::FFFF:10.0.0.7');
    expect(l.kildesystemAkkreditiver).toBe('Q049dGVzdA==.MTIz');
    expect(l.sikkerhedsklassificering).toEqual(uuid('44f4108b-26d4-46de-a90f-35e35b55b8d8'));
    expect(l.leveranceruter).toEqual([
      {
        fordelingssystem: uuid('f9fbbb38-4b2f-11e5-885d-feff819cdc9f'),
        modtagelsesTidspunkt: {
          kind: 'tidsstempel',
          value: '2024-07-01T04:20:31.5Z',
          rfc3339: '2024-07-01T04:20:31.5Z',
        },
        leveranceTidspunkt: {
          kind: 'tidsstempel',
          value: '2024-07-01T06:20:32+02:00',
          rfc3339: '2024-07-01T06:20:32+02:00',
        },
        modtagetFraSystem: uuid('19dc3a1d-c629-4853-b566-7fe49cf674ce'),
        erLeveretIHenholdTil: uuid('f27ab282-1096-4c04-af62-bcd01a2f1525'),
        lokalUdvidelse: {
          antalLeveranceforsoeg: 2,
          other: ['<ext:Retry xmlns:ext="urn:example:extension">yes</ext:Retry>'],
        },
      },
      {
        fordelingssystem: undefined,
        modtagelsesTidspunkt: undefined,
        leveranceTidspunkt: undefined,
        modtagetFraSystem: undefined,
        erLeveretIHenholdTil: undefined,
        lokalUdvidelse: { antalLeveranceforsoeg: 3, other: [] },
      },
    ]);
    expect(l.lokalUdvidelse).toEqual({
      beskedfordelerSignatur:
        '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Id="bf"><ds:SignedInfo/><ds:SignatureValue>YmY=</ds:SignatureValue></ds:Signature>',
      other: [],
    });
  });

  it('reads Modtagerhandling and the validity bounds (GraenseIndikator = open bound)', () => {
    const k = besked.beskedkuvert;
    expect(k.modtagerhandling).toEqual({
      handling: urn('urn:example:handling:kvitter'),
      responsmodtager: uuid('96514E13-AFDD-44D6-95A8-ADC2CA19B127'),
    });
    expect(k.gyldighedFra).toEqual({
      kind: 'tidsstempel',
      value: '2024-01-15T00:00:00',
      rfc3339: '2024-01-15T00:00:00+01:00',
    });
    expect(k.gyldighedTil).toEqual({ kind: 'graense', graenseIndikator: true });
  });

  it('decodes the Base64 payload (UTF-8, Danish letters) and keeps its attributes', () => {
    expect(besked.beskeddata[0]).toEqual({
      kind: 'base64',
      contentType: 'application/xml',
      encoding: 'UTF-8',
      fileType: '.xml',
      xml: PAYLOAD,
    });
  });

  it('makes inline content self-contained: outside prefixes and the default namespace are declared', () => {
    const inline = besked.beskeddata[1]!;
    expect(inline.kind).toBe('inline');
    expect(inline.xml).toBe(
      '<ext:Payload xmlns:ext="urn:example:extension" xmlns="urn:oio:sagdok:3.0.0" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" ext:version="1">' +
        '<Note>in the sagdok default namespace</Note><ds:Reference URI="#x"/><![CDATA[a < b]]> &amp; more</ext:Payload>',
    );
    expect(elementNamespaces(inline.xml)).toEqual([
      '{urn:example:extension}Payload',
      '{urn:oio:sagdok:3.0.0}Note',
      '{http://www.w3.org/2000/09/xmldsig#}Reference',
    ]);
    expect(besked.beskeddata[2]).toEqual({ kind: 'inline', xml: '' });
  });

  it('maps to a CloudEvent: max attempts, open bound as null, catalogue names, lower-case UUIDs', () => {
    const e = beskedToCloudEvent(ownFixture('full-envelope.xml'), {
      source: 'urn:kombit:beskedfordeler:push',
    });
    expectSchemaValid(e);
    expect(e.id).toBe('6f2c4e1a-9b3d-4c5e-8f70-a1b2c3d4e5f6');
    expect(e.type).toBe('dk.kombit.cpr.personhaendelse');
    expect(e.time).toBe('2024-07-01T06:20:30+02:00');
    expect(e.data).toMatchObject({
      beskedtype: '248ce14c-a863-4fb5-9e6f-7df9ea850809',
      transaktionsId: '3ca4c059-9fab-4144-b877-fe1e19cb7fbf',
      antalLeveranceforsoeg: 3,
      gyldighedFra: '2024-01-15T00:00:00+01:00',
      gyldighedTil: null,
      relateredeObjekter: [
        {
          objektId: 'urn:oio:cpr-nr:0101801234',
          objektType: 'ce7fcf97-a8a2-447a-8690-d38aa0f6e23c',
          objektRolle: 'urn:example:rolle:mor',
          cpr: '0101801234',
        },
      ],
    });
    expect(e.data.registreringer).toEqual([
      {
        registreringId: '0e0c1d2b-3a4f-4b6c-9d8e-7f6a5b4c3d2e',
        registreringsAktoer: 'd92bb9c2-d826-4028-8fb5-d8b88b4377d4',
        registreringstidspunkt: '2024-07-01T06:20:30.125+02:00',
        myndighed: 'urn:oio:cvr:29189846',
        objektId: 'urn:oio:cpr-nr:0101801234',
        objektType: 'ce7fcf97-a8a2-447a-8690-d38aa0f6e23c',
        handling: 'urn:cpr-haendelser:sim:handling:flytning',
        haendelse: 'flytning',
        opgaveEmne: 'urn:oio:kle:27.24.00',
        cpr: '0101801234',
      },
      {
        registreringId: null,
        registreringsAktoer: null,
        registreringstidspunkt: null,
        myndighed: null,
        objektId: '11111111-2222-3333-4444-555555555555',
        objektType: null,
        handling: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
        haendelse: null,
        opgaveEmne: null,
        cpr: null,
      },
    ]);
    expect(e.data.beskeddata.map((d) => d.contentType)).toEqual(['application/xml', null, null]);
  });
});
