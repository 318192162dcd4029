import { SaxesParser } from 'saxes';
import { beskedToCloudEvent, eventSources, type CprCloudEvent, type CprEventData } from '../src';
import { expectSchemaValid } from './support/cloud-event-validator';
import { sharedFixture } from './support/fixtures';

// Expected values written by reading each sample XML by hand (ids lower-cased, zoneless times
// given the Copenhagen offset of that date, CPR numbers from urn:oio:cpr-nr: ids).

const PERSON = 'ce7fcf97-a8a2-447a-8690-d38aa0f6e23c';
const FOEDSEL = '1e5bb089-5445-44f8-9b65-bc854053f423';
const DOEDSFALD = '298aa424-0a16-4a5a-956c-2bdab17fd11f';
const SERVICEPLATFORMEN = 'd92bb9c2-d826-4028-8fb5-d8b88b4377d4'; // written upper-case in the samples

function event(file: string): CprCloudEvent {
  const e = beskedToCloudEvent(sharedFixture(file), { source: eventSources.file(file) });
  expectSchemaValid(e);
  return e;
}

/** The text between a sample's Beskeddata tags, trimmed: what inline content must serialize to. */
function inlineSource(file: string): string {
  const text = sharedFixture(file).toString('utf8');
  const open = text.indexOf('>', text.indexOf('<ns2:Beskeddata')) + 1;
  return text.slice(open, text.indexOf('</ns2:Beskeddata>')).trim();
}

/** The payload must stand alone: well-formed with every prefix bound. */
function expectSelfContained(xml: string): void {
  const p = new SaxesParser({ xmlns: true });
  expect(() => p.write(xml).close()).not.toThrow();
}

describe('CloudEvents of the KOMBIT samples', () => {
  it('testbesked01.xml: a birth (Fødsel)', () => {
    const e = event('testbesked01.xml');
    const { beskeddata, ...data } = e.data;
    expect({ ...e, data: undefined }).toEqual({
      specversion: '1.0',
      id: '01157488-c45c-4fd2-b076-1de12effbf66',
      source: 'file:testbesked01.xml',
      type: 'dk.kombit.cpr.personhaendelse',
      datacontenttype: 'application/json',
      time: '2016-03-15T08:00:00+01:00',
      data: undefined,
    });
    expect(data).toEqual<Omit<CprEventData, 'beskeddata'>>({
      beskedId: '01157488-c45c-4fd2-b076-1de12effbf66',
      beskedVersion: '1.0',
      beskedtype: '7654895c-a3f3-4c77-8afd-4c77330f963c',
      beskedAnsvarligAktoer: 'cf12c051-39ce-4066-ba11-704b46fa23c4',
      tilladteModtagere: ['urn:oio:cvr-nr:12345678'],
      transaktionsId: null,
      kildesystem: null,
      sikkerhedsklassificering: '44f4108b-26d4-46de-a90f-35e35b55b8d8',
      antalLeveranceforsoeg: null,
      dannelsestidspunkt: '2016-03-15T08:00:00+01:00',
      gyldighedFra: '2016-03-15T08:00:10+01:00',
      gyldighedTil: null,
      relateredeObjekter: [
        { objektId: 'urn:oio:cpr-nr:2512484916', objektType: PERSON, objektRolle: null, cpr: '2512484916' },
      ],
      registreringer: [
        {
          registreringId: 'aa1b94ce-d182-454f-baa6-b2febb457aa3',
          registreringsAktoer: SERVICEPLATFORMEN,
          registreringstidspunkt: '2016-03-13T08:00:00+01:00',
          myndighed: 'urn:oio:cvr-nr:12345678',
          objektId: 'urn:oio:cpr-nr:2204151234',
          objektType: PERSON,
          handling: FOEDSEL,
          haendelse: 'foedsel',
          opgaveEmne: 'urn:oio:kle:32.01.01',
          cpr: '2204151234',
        },
      ],
    });
    expect(beskeddata).toHaveLength(1);
    const [payload] = beskeddata;
    expect(payload).toMatchObject({ contentType: null, encoding: null, fileType: null });
    expect(payload!.xml).toBe(inlineSource('testbesked01.xml').replace(/\r\n?/g, '\n'));
    expect(payload!.xml.startsWith('<test:Beskeddata\n\t\t\txmlns:test="urn:kombit:test"')).toBe(true);
    expect(payload!.xml).toContain('<tns:pnr>2204151234</tns:pnr>');
    expect(payload!.xml.endsWith('</test:Beskeddata>')).toBe(true);
    expectSelfContained(payload!.xml);
  });

  it('testbesked02.xml: a death (Dødsfald) without OpgaveEmne', () => {
    const e = event('testbesked02.xml');
    expect(e.id).toBe('c372127c-9343-40b0-8603-ced0c76dd1ac');
    expect(e.type).toBe('dk.kombit.cpr.personhaendelse');
    expect(e.time).toBe('2016-03-16T09:00:02+01:00');
    const { beskeddata, ...data } = e.data;
    expect(data).toEqual<Omit<CprEventData, 'beskeddata'>>({
      beskedId: 'c372127c-9343-40b0-8603-ced0c76dd1ac',
      beskedVersion: '1.0',
      beskedtype: '832d0676-d0a0-4522-8f57-ac126dc8270e',
      beskedAnsvarligAktoer: 'cf12c051-39ce-4066-ba11-704b46fa23c4',
      tilladteModtagere: ['urn:oio:cvr-nr:29189889'],
      transaktionsId: null,
      kildesystem: null,
      sikkerhedsklassificering: '292e85a9-8ad4-46df-9e50-f97d6837ad74',
      antalLeveranceforsoeg: null,
      dannelsestidspunkt: '2016-03-16T09:00:02+01:00',
      gyldighedFra: '2016-03-16T09:00:10+01:00',
      gyldighedTil: null,
      relateredeObjekter: [
        { objektId: 'urn:oio:cpr-nr:2512484915', objektType: PERSON, objektRolle: null, cpr: '2512484915' },
      ],
      registreringer: [
        {
          registreringId: '5b19f681-4883-46e3-807c-2451a42c7ce9',
          registreringsAktoer: SERVICEPLATFORMEN,
          registreringstidspunkt: '2016-03-16T09:00:00+01:00',
          myndighed: 'urn:oio:cvr-nr:29189889',
          objektId: 'urn:oio:cpr-nr:2204111236',
          objektType: PERSON,
          handling: DOEDSFALD,
          haendelse: 'doedsfald',
          opgaveEmne: null,
          cpr: '2204111236',
        },
      ],
    });
    expect(beskeddata).toHaveLength(1);
    expect(beskeddata[0]!.xml).toBe(inlineSource('testbesked02.xml'));
    expect(beskeddata[0]!.xml).toContain('<tns:status>90</tns:status>');
    expectSelfContained(beskeddata[0]!.xml);
  });

  it('testbesked03.xml: summer time, a non-UUID id kept as is, an empty Beskeddata', () => {
    const e = event('testbesked03.xml');
    expect(e.id).toBe('01157488-c45c-4fd2-b076-1de12effbf66');
    expect(e.type).toBe('dk.kombit.cpr.personhaendelse');
    expect(e.time).toBe('2016-08-15T08:00:00+02:00');
    expect(e.data).toEqual<CprEventData>({
      beskedId: '01157488-c45c-4fd2-b076-1de12effbf66',
      beskedVersion: '1.0',
      beskedtype: 'b677c97e-aa5e-430e-9f60-9bbbbdb4ea1b',
      beskedAnsvarligAktoer: '1',
      tilladteModtagere: ['urn:oio:cvr-nr:55133018'],
      transaktionsId: null,
      kildesystem: null,
      sikkerhedsklassificering: '44f4108b-26d4-46de-a90f-35e35b55b8d8',
      antalLeveranceforsoeg: null,
      dannelsestidspunkt: '2016-08-15T08:00:00+02:00',
      gyldighedFra: '2016-08-15T08:00:10+02:00',
      gyldighedTil: null,
      relateredeObjekter: [
        { objektId: 'urn:oio:cpr-nr:2512484916', objektType: PERSON, objektRolle: null, cpr: '2512484916' },
      ],
      registreringer: [
        {
          registreringId: 'aa1b94ce-d182-454f-baa6-b2febb457aa3',
          registreringsAktoer: SERVICEPLATFORMEN,
          registreringstidspunkt: '2016-08-13T08:00:00+02:00',
          myndighed: 'urn:oio:cvr-nr:55133018',
          objektId: 'urn:oio:cpr-nr:2204151234',
          objektType: PERSON,
          handling: FOEDSEL,
          haendelse: 'foedsel',
          opgaveEmne: 'urn:oio:kle:32.01.01',
          cpr: '2204151234',
        },
      ],
      beskeddata: [{ contentType: null, encoding: null, fileType: null, xml: '' }],
    });
  });

  it('externTestBesked.xml: KOMBIT ExtTest sample with a short inline payload', () => {
    const e = event('externTestBesked.xml');
    expect(e).toEqual<CprCloudEvent>({
      specversion: '1.0',
      id: '01157488-c45c-4fd2-b076-1de12effbf66',
      source: 'file:externTestBesked.xml',
      type: 'dk.kombit.cpr.personhaendelse',
      datacontenttype: 'application/json',
      time: '2022-02-13T08:00:00+01:00',
      data: {
        beskedId: '01157488-c45c-4fd2-b076-1de12effbf66',
        beskedVersion: '1.0',
        beskedtype: '7654895c-a3f3-4c77-8afd-4c77330f963c',
        beskedAnsvarligAktoer: 'cf12c051-39ce-4066-ba11-704b46fa23c4',
        tilladteModtagere: ['urn:oio:cvr-nr:99999999'],
        transaktionsId: null,
        kildesystem: null,
        sikkerhedsklassificering: '44f4108b-26d4-46de-a90f-35e35b55b8d8',
        antalLeveranceforsoeg: null,
        dannelsestidspunkt: '2022-02-13T08:00:00+01:00',
        gyldighedFra: '2022-02-13T08:00:00+01:00',
        gyldighedTil: null,
        relateredeObjekter: [
          { objektId: 'urn:oio:cpr-nr:2512484916', objektType: PERSON, objektRolle: null, cpr: '2512484916' },
        ],
        registreringer: [
          {
            registreringId: 'aa1b94ce-d182-454f-baa6-b2febb457aa3',
            registreringsAktoer: SERVICEPLATFORMEN,
            registreringstidspunkt: '2022-02-13T08:00:00+01:00',
            myndighed: 'urn:oio:cvr-nr:99999999',
            objektId: 'urn:oio:cpr-nr:1234567890',
            objektType: PERSON,
            handling: FOEDSEL,
            haendelse: 'foedsel',
            opgaveEmne: 'urn:oio:kle:32.01.01',
            cpr: '1234567890',
          },
        ],
        beskeddata: [
          {
            contentType: null,
            encoding: null,
            fileType: null,
            xml: '<test:Beskeddata xmlns:test="urn:kombit:test">\n            Hello to Beskedfordeler\n        </test:Beskeddata>',
          },
        ],
      },
    });
  });

  it('exttest-sf1601-push.success.xml: a push body with a Base64 payload, not about a person', () => {
    const e = event('exttest-sf1601-push.success.xml');
    expect(e).toEqual<CprCloudEvent>({
      specversion: '1.0',
      id: 'bd12c645-de98-453a-ac80-f58a76942eda',
      source: 'file:exttest-sf1601-push.success.xml',
      type: 'dk.kombit.beskedfordeler.haendelsesbesked',
      datacontenttype: 'application/json',
      time: '2023-02-13T11:22:05.570Z',
      data: {
        beskedId: 'bd12c645-de98-453a-ac80-f58a76942eda',
        beskedVersion: '1.0',
        beskedtype: 'd2bed63c-4853-4008-b6e0-a74c15b15fbf',
        beskedAnsvarligAktoer: '96514e13-afdd-44d6-95a8-adc2ca19b127',
        tilladteModtagere: ['urn:oio:cvr:55133018'],
        transaktionsId: '3ca4c059-9fab-4144-b877-fe1e19cb7fbf',
        kildesystem: '19dc3a1d-c629-4853-b566-7fe49cf674ce',
        sikkerhedsklassificering: '1d81c472-0808-44cc-963d-f5ef0170ae1d',
        antalLeveranceforsoeg: 1,
        dannelsestidspunkt: '2023-02-13T11:22:05.570Z',
        gyldighedFra: null,
        gyldighedTil: null,
        relateredeObjekter: [
          {
            objektId: '53213778-de6b-42ee-8fbd-8aa73b0d4d85',
            objektType: '91aa31b3-c4b3-499e-8689-93b1ef89f319',
            objektRolle: null,
            cpr: null,
          },
        ],
        registreringer: [
          {
            registreringId: '1ab6eb87-a457-4ad3-8952-ed8f18a1676a',
            registreringsAktoer: '19dc3a1d-c629-4853-b566-7fe49cf674ce',
            registreringstidspunkt: '2023-02-13T11:22:05.154Z',
            myndighed: 'urn:oio:cvr:55133018',
            objektId: '8853363b-43ec-4d0a-a54d-65447f9447ed',
            objektType: '9a7be69f-b736-4e0e-9d5b-78d4f43e7ad7',
            handling: 'f7161a89-5068-4023-bc80-d7f4daad2a2e',
            haendelse: null,
            opgaveEmne: null,
            cpr: null,
          },
        ],
        beskeddata: [
          {
            contentType: 'application/xml',
            encoding: 'UTF-8',
            fileType: '.xml',
            xml:
              '<PKO_PostStatus xmlns="http://serviceplatformen.dk/xml/print/PKO_PostStatus/1/types">' +
              '<TransmissionId>1ab6eb87-a457-4ad3-8952-ed8f18a1676a</TransmissionId>' +
              '<MessageUUID>8853363b-43ec-4d0a-a54d-65447f9447ed</MessageUUID>' +
              '<MessageId>0d7a7d95-0c4a-4f86-bd98-c599d0b81128</MessageId>' +
              '<KanalKode>Digital Post</KanalKode>' +
              '<TransaktionsDatoTid>2023-02-13T11:22:05.154Z</TransaktionsDatoTid>' +
              '<TransaktionsStatusKode>Afleveret Digital Post</TransaktionsStatusKode>' +
              '<CorrelationId>1ab6eb87-a457-4ad3-8952-ed8f18a1676a</CorrelationId>' +
              '<FejlDetaljer/></PKO_PostStatus>',
          },
        ],
      },
    });
  });

  it('exttest-sf1601-push.error.xml: Base64 payload with escaped text and line breaks', () => {
    const e = event('exttest-sf1601-push.error.xml');
    expect(e.id).toBe('dac92c8b-a6ff-4f04-aab3-15be45576887');
    expect(e.type).toBe('dk.kombit.beskedfordeler.haendelsesbesked');
    expect(e.time).toBe('2023-02-13T12:04:13.262Z');
    const { beskeddata, ...data } = e.data;
    expect(data).toEqual<Omit<CprEventData, 'beskeddata'>>({
      beskedId: 'dac92c8b-a6ff-4f04-aab3-15be45576887',
      beskedVersion: '1.0',
      beskedtype: 'd2bed63c-4853-4008-b6e0-a74c15b15fbf',
      beskedAnsvarligAktoer: '96514e13-afdd-44d6-95a8-adc2ca19b127',
      tilladteModtagere: ['urn:oio:cvr:55133018'],
      transaktionsId: 'cbd2b19c-004f-468a-aa64-82cf4da5d61b',
      kildesystem: '19dc3a1d-c629-4853-b566-7fe49cf674ce',
      sikkerhedsklassificering: '1d81c472-0808-44cc-963d-f5ef0170ae1d',
      antalLeveranceforsoeg: 1,
      dannelsestidspunkt: '2023-02-13T12:04:13.262Z',
      gyldighedFra: null,
      gyldighedTil: null,
      relateredeObjekter: [
        {
          objektId: '53213778-de6b-42ee-8fbd-8aa73b0d4d85',
          objektType: '91aa31b3-c4b3-499e-8689-93b1ef89f319',
          objektRolle: null,
          cpr: null,
        },
      ],
      registreringer: [
        {
          registreringId: '317720e2-052b-450b-b510-2a0a3ab35d38',
          registreringsAktoer: '19dc3a1d-c629-4853-b566-7fe49cf674ce',
          registreringstidspunkt: '2023-02-13T12:04:12.845Z',
          myndighed: 'urn:oio:cvr:55133018',
          objektId: '33ca98c5-d2ce-43e7-be3a-d5cfde9f6394',
          objektType: '9a7be69f-b736-4e0e-9d5b-78d4f43e7ad7',
          handling: 'e225a75c-4b63-46c4-9423-77f5c8762445',
          haendelse: null,
          opgaveEmne: null,
          cpr: null,
        },
      ],
    });
    expect(beskeddata).toHaveLength(1);
    const [payload] = beskeddata;
    expect(payload).toMatchObject({ contentType: 'application/xml', encoding: 'UTF-8', fileType: '.xml' });
    expect(payload!.xml).toMatch(
      /^<PKO_PostStatus xmlns="http:\/\/serviceplatformen\.dk\/xml\/print\/PKO_PostStatus\/1\/types"><TransmissionId>317720e2-052b-450b-b510-2a0a3ab35d38<\/TransmissionId>/,
    );
    expect(payload!.xml).toContain('<TransaktionsStatusKode>Fejlet</TransaktionsStatusKode>');
    expect(payload!.xml).toContain('Possible tag names are: &lt;label&gt;,&lt;messageCode&gt;\n at [row,col');
    expect(payload!.xml.endsWith('</FejlDetaljer></PKO_PostStatus>')).toBe(true);
  });

  it('push-ModtagBeskedInput.minimal.xml: only the required elements, no time', () => {
    const e = event('push-ModtagBeskedInput.minimal.xml');
    expect(e).toEqual<CprCloudEvent>({
      specversion: '1.0',
      id: '248ce14c-a863-4fb5-9e6f-7df9ea850809',
      source: 'file:push-ModtagBeskedInput.minimal.xml',
      type: 'dk.kombit.beskedfordeler.haendelsesbesked',
      datacontenttype: 'application/json',
      data: {
        beskedId: '248ce14c-a863-4fb5-9e6f-7df9ea850809',
        beskedVersion: '1.0',
        beskedtype: 'c8673551-981e-4be1-b1a6-180cf6fa61f0',
        beskedAnsvarligAktoer: null,
        tilladteModtagere: [],
        transaktionsId: 'c8673551-981e-4be1-b1a6-180cf6fa61f0',
        kildesystem: null,
        sikkerhedsklassificering: null,
        antalLeveranceforsoeg: null,
        dannelsestidspunkt: null,
        gyldighedFra: null,
        gyldighedTil: null,
        relateredeObjekter: [],
        registreringer: [],
        beskeddata: [
          {
            contentType: null,
            encoding: null,
            fileType: null,
            xml:
              '<tst:dfd xmlns:tst="http://tst.com" xmlns:bfr="urn:oio:sts:beskedfordeler:1.0.0" ' +
              'xmlns:ns4="urn:oio:sts:beskedfordeler:vaerdiliste:1.0.0" xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope" ' +
              'xmlns:urn1="urn:oio:besked:kuvert:1.0" xmlns:urn2="urn:oio:sagdok:3.0.0" ' +
              'xmlns:xd="http://www.w3.org/2000/09/xmldsig#">client test message</tst:dfd>',
          },
        ],
      },
    });
    expect('time' in e).toBe(false);
  });
});
