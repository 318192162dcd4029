import { peekBeskedId } from '@cprh/besked';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import * as soap from 'soap';
import { request } from 'undici';
import { Distributor } from '../src/subscriptions/distributor';
import { EventGenerator } from '../src/population/event-generator';
import { PullPublisher } from '../src/dueslag/pull-publisher';
import { startSoapServer, WSDL_PATH, type SoapServer } from '../src/vaerdiliste/soap-server';
import { VaerdilisteStore } from '../src/vaerdiliste/vaerdiliste-store';
import {
  validateAgainstXsd,
  TEST_AMQP_URL,
  TEST_REDIS_URL,
  deleteAmqpQueues,
  drainQueues,
  makeTestPki,
  uniqueName,
  deleteKeysWithPrefix,
} from '@cprh/testkit';

type Reply = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- soap answers are untyped objects

describe('BeskedfordelerService (SOAP over mutual TLS, value lists in Redis)', () => {
  const pki = makeTestPki();
  const prefix = `${uniqueName('t-sim')}:`;
  let redis: Redis;
  let server: SoapServer;
  let client: soap.Client;
  const queues: string[] = [];
  const answers: string[] = [];

  beforeAll(async () => {
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 2 });
    server = await startSoapServer({ host: '127.0.0.1', port: 0, redis, prefix, certs: pki.certs });
    client = await soap.createClientAsync(WSDL_PATH, { endpoint: server.url });
    client.setSecurity(
      new soap.ClientSSLSecurity(
        Buffer.from(pki.certs.clientKey),
        Buffer.from(pki.certs.clientCert),
        Buffer.from(pki.certs.ca),
      ),
    );
  });

  afterAll(async () => {
    await deleteAmqpQueues(queues);
    await deleteKeysWithPrefix(redis, prefix);
    await server.close();
    redis.disconnect();
    pki.cleanup();
  });

  const call = async (op: string, args: Record<string, unknown>): Promise<Reply> => {
    const fn = (client as unknown as Record<string, (a: unknown) => Promise<[Reply]>>)[`${op}Async`];
    if (!fn) throw new Error(`no operation ${op}`);
    const [result] = await fn.call(client, args);
    const body = /<soap:Body>([\s\S]*)<\/soap:Body>/.exec(client.lastResponse ?? '')?.[1];
    if (body) answers.push(body);
    return result;
  };

  const opret = (navn: string, vaerdier: string[]) =>
    call('opretvaerdiliste', {
      NoteTekst: 'test',
      AttributListe: {
        Egenskab: {
          BrugervendtNoegleTekst: navn,
          Vaerdiliste: { Navn: navn, Vaerdi: vaerdier },
          Virkning: {
            AktoerRef: { UUIDIdentifikator: randomUUID() },
            AktoerTypeKode: 'OrganisationFunktion',
          },
        },
      },
      TilstandListe: {},
      RelationListe: {},
    });

  const valuesOf = (reply: Reply): string[] => {
    const v = reply.LaesResultat?.Registrering?.AttributListe?.Egenskab?.Vaerdiliste?.Vaerdi;
    return (v === undefined ? [] : Array.isArray(v) ? v : [v]).map(String).sort();
  };

  it('runs the value-list operations with StandardRetur 20', async () => {
    const created = await opret('borgere', ['0101901234', '0202802345']);
    expect(created.StandardRetur.StatusKode).toBe(20);
    const id = created.Vaerdiliste.UUIDIdentifikator as string;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    expect(
      (await call('tilfoejvaerdier', { UUIDIdentifikator: id, Vaerdier: ['0303703456'] })).StandardRetur
        .StatusKode,
    ).toBe(20);
    let read = await call('laesvaerdiliste', { UUIDIdentifikator: id });
    expect(read.StandardRetur.StatusKode).toBe(20);
    expect(valuesOf(read)).toEqual(['0101901234', '0202802345', '0303703456']);
    expect(read.LaesResultat.Registrering.AttributListe.Egenskab.Vaerdiliste.Navn).toBe('borgere');

    expect(
      (await call('fjernvaerdier', { UUIDIdentifikator: id, Vaerdier: ['0101901234'] })).StandardRetur
        .StatusKode,
    ).toBe(20);
    read = await call('laesvaerdiliste', { UUIDIdentifikator: id });
    expect(valuesOf(read)).toEqual(['0202802345', '0303703456']);

    const other = (await opret('andre', ['1111111111'])).Vaerdiliste.UUIDIdentifikator as string;
    const listed = await call('listvaerdiliste', { UUIDIdentifikator: [id, other] });
    expect(listed.StandardRetur.StatusKode).toBe(20);
    expect(listed.LaesResultat).toHaveLength(2);

    const found = await call('soegvaerdiliste', {
      SoegObjekt: { SoegAttributListe: { SoegEgenskab: { Vaerdiliste: { Navn: 'andre' } } } },
    });
    expect(found.StandardRetur.StatusKode).toBe(20);
    expect([found.IdListe.UUIDIdentifikator].flat()).toEqual([other]);

    const ret = await call('retvaerdiliste', {
      UUIDIdentifikator: other,
      AttributListe: {
        Egenskab: {
          Vaerdiliste: { Navn: 'andre2', Vaerdi: ['2222222222'] },
          Virkning: { AktoerRef: { UUIDIdentifikator: randomUUID() }, AktoerTypeKode: 'ItSystem' },
        },
      },
    });
    expect(ret.StandardRetur.StatusKode).toBe(20);
    expect(valuesOf(await call('laesvaerdiliste', { UUIDIdentifikator: other }))).toEqual(['2222222222']);

    expect((await call('passivervaerdiliste', { UUIDIdentifikator: other })).StandardRetur.StatusKode).toBe(
      20,
    );
    expect(
      (await call('sletvaerdiliste', { UUIDIdentifikator: other, NoteTekst: 'væk' })).StandardRetur
        .StatusKode,
    ).toBe(20);
    expect((await call('laesvaerdiliste', { UUIDIdentifikator: other })).StandardRetur.StatusKode).toBe(44);
    expect(
      (await call('tilfoejvaerdier', { UUIDIdentifikator: 'not-a-uuid', Vaerdier: ['1'] })).StandardRetur
        .StatusKode,
    ).toBe(40);
    // Every answer is valid against KOMBIT's schema (sagdok elements in their own namespace).
    expect(answers.length).toBeGreaterThanOrEqual(13);
    expect(await validateAgainstXsd('VaerdilisteOperationer.xsd', answers)).toEqual([]);
  });

  it('value lists set through SOAP change which events a CPR-filtered subscription gets', async () => {
    const publisher = await PullPublisher.connect(TEST_AMQP_URL);
    const store = new VaerdilisteStore(redis, prefix);
    const distributor = new Distributor({ publisher, lookup: (id) => store.activeValues(id) });
    try {
      const listId = (await opret('fulgte', [])).Vaerdiliste.UUIDIdentifikator as string;
      const dueslag = randomUUID();
      queues.push(dueslag);
      distributor.add({
        id: randomUUID(),
        navn: 'cpr',
        dueslag,
        delivery: { mode: 'pull' },
        filter: { cprVaerdiliste: listId },
      });

      // Residents only (kind navneaendring): the same people can get events again later.
      const gen = new EventGenerator({
        seed: 77,
        populationSize: 50,
        start: new Date('2026-01-05T08:00:00Z'),
      });
      const batch1 = gen.take(60, { kind: 'navneaendring' });
      const cprs = [...new Set(batch1.map((e) => e.person.cpr))];
      const [a, b, c] = cprs as [string, string, string];

      // Empty list: nothing.
      await distributor.dispatch(batch1);
      expect((await drainQueues([dueslag], {}, 300))[dueslag]).toEqual([]);

      await call('tilfoejvaerdier', { UUIDIdentifikator: listId, Vaerdier: [a, b] });
      await distributor.dispatch(batch1);
      const want1 = batch1
        .filter((e) => e.person.cpr === a || e.person.cpr === b)
        .map((e) => e.beskedId)
        .sort();
      let got = (await drainQueues([dueslag], { [dueslag]: want1.length }))[dueslag] ?? [];
      expect(got.map((m) => peekBeskedId(m.body)).sort()).toEqual(want1);

      await call('fjernvaerdier', { UUIDIdentifikator: listId, Vaerdier: [a] });
      await call('tilfoejvaerdier', { UUIDIdentifikator: listId, Vaerdier: [c] });
      await distributor.dispatch(batch1);
      const want2 = batch1
        .filter((e) => e.person.cpr === b || e.person.cpr === c)
        .map((e) => e.beskedId)
        .sort();
      got = (await drainQueues([dueslag], { [dueslag]: want2.length }))[dueslag] ?? [];
      expect(got.map((m) => peekBeskedId(m.body)).sort()).toEqual(want2);

      await call('passivervaerdiliste', { UUIDIdentifikator: listId });
      await distributor.dispatch(batch1);
      expect((await drainQueues([dueslag], {}, 300))[dueslag]).toEqual([]);
    } finally {
      await distributor.close();
      await publisher.close();
    }
  });

  it('refuses a client certificate from another CA', async () => {
    const other = makeTestPki();
    try {
      const stranger = await soap.createClientAsync(WSDL_PATH, { endpoint: server.url });
      stranger.setSecurity(
        new soap.ClientSSLSecurity(
          Buffer.from(other.certs.clientKey),
          Buffer.from(other.certs.clientCert),
          Buffer.from(pki.certs.ca),
        ),
      );
      await expect(
        (stranger as unknown as Record<string, (a: unknown) => Promise<unknown>>).laesvaerdilisteAsync!({
          UUIDIdentifikator: randomUUID(),
        }),
      ).rejects.toThrow();
      // The same call with the dev CA's client certificate gets an answer (44: no such list).
      expect(
        (await call('laesvaerdiliste', { UUIDIdentifikator: randomUUID() })).StandardRetur.StatusKode,
      ).toBe(44);
    } finally {
      other.cleanup();
    }
  });

  it('refuses a client without a certificate', async () => {
    const anon = await soap.createClientAsync(WSDL_PATH, { endpoint: server.url });
    anon.setSecurity(
      new soap.ClientSSLSecurity(
        null as unknown as Buffer,
        null as unknown as Buffer,
        Buffer.from(pki.certs.ca),
      ),
    );
    await expect(
      (anon as unknown as Record<string, (a: unknown) => Promise<unknown>>).laesvaerdilisteAsync!({
        UUIDIdentifikator: randomUUID(),
      }),
    ).rejects.toThrow();
  });

  describe('as a SOAP 1.1 service answers', () => {
    const envelope = (body: string) =>
      `<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>${body}</soap:Body></soap:Envelope>`;
    const post = (url: string, body: string, soapaction?: string) =>
      request(url, {
        method: 'POST',
        headers: { 'content-type': 'text/xml; charset=utf-8', ...(soapaction ? { soapaction } : {}) },
        body,
        // An answer, not a hanging socket: node-soap parses the WSDL after listen() otherwise.
        headersTimeout: 3000,
      });

    it('answers its first request as soon as it is started', async () => {
      const plain = await startSoapServer({ host: '127.0.0.1', port: 0, redis, prefix });
      try {
        const res = await request(`${plain.url}?wsdl`, { headersTimeout: 3000 });
        expect(res.statusCode).toBe(200);
        expect(await res.body.text()).toContain('definitions');
      } finally {
        await plain.close();
      }
    });

    it('answers an unknown SOAPAction, or a body that is no operation, with a SOAP 1.1 fault soap:Client', async () => {
      const plain = await startSoapServer({ host: '127.0.0.1', port: 0, redis, prefix });
      try {
        for (const [action, body] of [
          ['"urn:no-such-action"', '<x:Nope xmlns:x="urn:x"/>'],
          ['"http://kombit.dk/sts/beskedfordeler/vaerdiliste/list"', '<x:Nope xmlns:x="urn:x"/>'],
        ] as const) {
          const res = await post(plain.url, envelope(body), action);
          expect(res.statusCode).toBe(500);
          expect(res.headers['content-type']).toMatch(/^text\/xml/);
          const text = await res.body.text();
          expect(text).toMatch(
            /^<\?xml[^>]*\?><soap:Envelope xmlns:soap="http:\/\/schemas\.xmlsoap\.org\/soap\/envelope\/"><soap:Body><soap:Fault><faultcode>soap:Client<\/faultcode><faultstring>[^<]+<\/faultstring><\/soap:Fault><\/soap:Body><\/soap:Envelope>$/,
          );
          expect(text).not.toMatch(/TypeError|Cannot read|undefined|soap:Code|soap:Reason/);
        }
      } finally {
        await plain.close();
      }
    });
  });
});
