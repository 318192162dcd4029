import {
  BESKED_EVENT_TYPE,
  CPR_EVENT_TYPE,
  PERSON_OBJEKTTYPE,
  beskedToCloudEvent,
  cloudEventJsonSchema,
  eventSources,
  parseBesked,
  toCloudEvent,
} from '../src';
import { expectSchemaValid } from './support/cloud-event-validator';
import { sharedFixture } from './support/fixtures';

const PUSH = sharedFixture('exttest-sf1601-push.success.xml').toString('utf8');

describe('CloudEvent mapping', () => {
  it('names the channel as a URI reference', () => {
    expect(eventSources.dueslag('2A6B9E7C-1111-4C3D-9E8F-000000000001')).toBe(
      'urn:kombit:beskedfordeler:dueslag:2a6b9e7c-1111-4c3d-9e8f-000000000001',
    );
    expect(eventSources.push).toBe('urn:kombit:beskedfordeler:push');
    expect(eventSources.file('testbesked01.xml')).toBe('file:testbesked01.xml');
    expect(eventSources.file('-')).toBe('file:-');
    expect(eventSources.file('my besked#1.xml')).toBe('file:my%20besked%231.xml');
  });

  it('is a person event when an ObjektRegistrering has the Person ObjektType only', () => {
    const xml = PUSH.replace('9a7be69f-b736-4e0e-9d5b-78d4f43e7ad7', PERSON_OBJEKTTYPE.toUpperCase());
    const e = beskedToCloudEvent(xml, { source: eventSources.push });
    expect(e.type).toBe(CPR_EVENT_TYPE);
    expect(e.data.registreringer[0]!.cpr).toBeNull();
    expectSchemaValid(e);
  });

  it('is a person event when an ObjektRegistrering has a cpr-nr ObjektId only', () => {
    const xml = PUSH.replace(
      '<UUIDIdentifikator>8853363b-43ec-4d0a-a54d-65447f9447ed</UUIDIdentifikator>',
      '<URNIdentifikator>urn:oio:cpr-nr:0707614285</URNIdentifikator>',
    );
    const e = beskedToCloudEvent(xml, { source: eventSources.push });
    expect(e.type).toBe(CPR_EVENT_TYPE);
    expect(e.data.registreringer[0]!.cpr).toBe('0707614285'); // leading zero kept: a string
    expectSchemaValid(e);
  });

  it('a CPR number only among RelateretObjekt does not make a person event', () => {
    const xml = PUSH.replace(
      '<UUIDIdentifikator>53213778-de6b-42ee-8fbd-8aa73b0d4d85</UUIDIdentifikator>',
      '<URNIdentifikator>urn:oio:cpr-nr:0707614285</URNIdentifikator>',
    );
    const e = beskedToCloudEvent(xml, { source: eventSources.push });
    expect(e.type).toBe(BESKED_EVENT_TYPE);
    expect(e.data.relateredeObjekter[0]!.cpr).toBe('0707614285');
  });

  it('cpr is null for a cpr-nr URN that is not ten digits', () => {
    const xml = PUSH.replace(
      '<UUIDIdentifikator>8853363b-43ec-4d0a-a54d-65447f9447ed</UUIDIdentifikator>',
      '<URNIdentifikator>urn:oio:cpr-nr:12345</URNIdentifikator>',
    );
    const e = beskedToCloudEvent(xml, { source: eventSources.push });
    expect(e.data.registreringer[0]!.objektId).toBe('urn:oio:cpr-nr:12345');
    expect(e.data.registreringer[0]!.cpr).toBeNull();
    expectSchemaValid(e);
  });

  it('omits time when Dannelsestidspunkt is absent or an open bound', () => {
    const noTime = PUSH.replace(/<ns2:Dannelsestidspunkt>[\s\S]*?<\/ns2:Dannelsestidspunkt>/, '');
    const e1 = beskedToCloudEvent(noTime, { source: eventSources.push });
    expect('time' in e1).toBe(false);
    expect(e1.data.dannelsestidspunkt).toBeNull();
    const bound = PUSH.replace(
      '<TidsstempelDatoTid>2023-02-13T11:22:05.570Z</TidsstempelDatoTid>',
      '<GraenseIndikator>false</GraenseIndikator>',
    );
    expect('time' in beskedToCloudEvent(bound, { source: eventSources.push })).toBe(false);
    expectSchemaValid(e1);
  });

  it('toCloudEvent(parseBesked(x)) equals beskedToCloudEvent(x), and JSON round-trips unchanged', () => {
    const bytes = sharedFixture('testbesked01.xml');
    const e = beskedToCloudEvent(bytes, { source: 'file:a' });
    expect(toCloudEvent(parseBesked(bytes), { source: 'file:a' })).toEqual(e);
    expect(JSON.parse(JSON.stringify(e))).toEqual(e);
    expect(Object.keys(e)).toEqual([
      'specversion',
      'id',
      'source',
      'type',
      'datacontenttype',
      'time',
      'data',
    ]);
  });

  it('the schema is strict: extra or missing properties and upper-case UUIDs are refused', () => {
    const e = beskedToCloudEvent(sharedFixture('testbesked01.xml'), { source: 'file:a' });
    expect(() => expectSchemaValid({ ...e, extra: 1 })).toThrow(/additional/);
    expect(() => expectSchemaValid({ ...e, data: { ...e.data, cprNummer: 'x' } })).toThrow(/additional/);
    const partial: Partial<typeof e.data> = { ...e.data };
    delete partial.beskedtype;
    expect(() => expectSchemaValid({ ...e, data: partial })).toThrow(/beskedtype/);
    expect(() => expectSchemaValid({ ...e, id: e.id.toUpperCase() })).toThrow();
    expect(() => expectSchemaValid({ ...e, time: '2016-03-15T08:00:00' })).toThrow();
    expect(() =>
      expectSchemaValid({
        ...e,
        data: { ...e.data, registreringer: [{ ...e.data.registreringer[0], cpr: 2204151234 }] },
      }),
    ).toThrow();
    expect((cloudEventJsonSchema as { $schema: string }).$schema).toBe(
      'https://json-schema.org/draft/2020-12/schema',
    );
  });
});
