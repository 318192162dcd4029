import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { KombitError, ServiceStatusError, VaerdilisteClient, type VaerdilisteClientOptions } from '../src';
import { makeDevPki, type DevPki } from '@cprh/testkit';
import {
  envelope,
  output,
  standardRetur,
  startFakeBeskedfordeler,
  type FakeBeskedfordeler,
} from './support/fake-beskedfordeler';

const CPR = '0101901234';

describe('VaerdilisteClient errors: each failure its own code, no CPR number or key in them', () => {
  let pki: DevPki;
  let otherPki: DevPki;
  let fake: FakeBeskedfordeler;
  const logLines: string[] = [];
  const clients: VaerdilisteClient[] = [];

  const log = pino(
    { level: 'debug' },
    new Writable({
      write(chunk: Buffer, _enc, done) {
        logLines.push(chunk.toString());
        done();
      },
    }),
  );

  beforeAll(async () => {
    pki = makeDevPki();
    otherPki = makeDevPki();
    fake = await startFakeBeskedfordeler(pki);
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await fake.close();
    pki.remove();
    otherPki.remove();
  });

  const client = async (over: Partial<VaerdilisteClientOptions> = {}): Promise<VaerdilisteClient> => {
    const c = await VaerdilisteClient.create({
      endpoint: fake.url,
      tls: { cert: pki.pem().clientCert, key: pki.pem().clientKey, ca: pki.pem().ca },
      timeoutMs: 2_000,
      log,
      ...over,
    });
    clients.push(c);
    return c;
  };

  /** The error a tilfoejvaerdier call with a CPR number fails with, after checking it is clean. */
  const failure = async (c: VaerdilisteClient): Promise<KombitError> => {
    const err = await c.tilfoejVaerdier(randomUUID(), [CPR, '0202802345']).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(KombitError);
    const serialized = JSON.stringify(pino.stdSerializers.err(err as Error));
    const withCause = JSON.stringify({ cause: String((err as Error).cause), ...(err as object) });
    for (const text of [serialized, withCause, logLines.join('')]) {
      expect(text).not.toContain(CPR);
      expect(text).not.toContain('PRIVATE KEY');
    }
    return err as KombitError;
  };

  it('a StandardRetur other than 20 is a ServiceStatusError with StatusKode and text', async () => {
    fake.answer(() => ({
      status: 200,
      body: output('TilfoejVaerdierOutput', standardRetur(40, `Ugyldig værdi ${CPR} i Vaerdier`)),
    }));
    const err = await failure(await client());
    expect(err).toBeInstanceOf(ServiceStatusError);
    expect(err.code).toBe('KOMBIT_SERVICE_STATUS');
    expect((err as ServiceStatusError).statusKode).toBe(40);
    expect((err as ServiceStatusError).fejlbeskedTekst).toBe('Ugyldig værdi xxxxxx-xxxx i Vaerdier');
    expect(err.message).toBe('tilfoejvaerdier: StatusKode 40: Ugyldig værdi xxxxxx-xxxx i Vaerdier');
  });

  it('a SOAP fault', async () => {
    fake.answer(() => ({
      status: 500,
      body: envelope(
        `<soap:Fault><faultcode>soap:Server</faultcode><faultstring>kan ikke behandle ${CPR}</faultstring></soap:Fault>`,
      ),
    }));
    const err = await failure(await client());
    expect(err.code).toBe('KOMBIT_SOAP_FAULT');
    expect(err.message).toContain('SOAP fault soap:Server kan ikke behandle xxxxxx-xxxx');
  });

  it('no answer within the timeout', async () => {
    fake.answer(() => 'hang');
    const err = await failure(await client({ timeoutMs: 300 }));
    expect(err.code).toBe('KOMBIT_SOAP_TIMEOUT');
    expect(err.message).toContain('no answer within 300 ms');
  });

  it('an HTML error page, or an answer without StandardRetur', async () => {
    fake.answer(() => ({
      status: 404,
      body: '<html><body>Not Found</body></html>',
      contentType: 'text/html',
    }));
    expect((await failure(await client())).code).toBe('KOMBIT_SOAP_BAD_RESPONSE');
    fake.answer(() => ({ status: 200, body: output('TilfoejVaerdierOutput', '') }));
    const err = await failure(await client());
    expect(err.code).toBe('KOMBIT_SOAP_BAD_RESPONSE');
    expect(err.message).toContain('no StandardRetur');
  });

  it('TLS: our certificate from another CA, or a server we do not trust', async () => {
    fake.answer(() => ({ status: 200, body: output('TilfoejVaerdierOutput', standardRetur(20, 'OK')) }));
    const before = fake.seen.length;
    const stranger = await client({
      tls: { cert: otherPki.pem().clientCert, key: otherPki.pem().clientKey, ca: pki.pem().ca },
    });
    expect((await failure(stranger)).code).toBe('KOMBIT_SOAP_TLS_FAILED');
    const distrustful = await client({
      tls: { cert: pki.pem().clientCert, key: pki.pem().clientKey, ca: otherPki.pem().ca },
    });
    const err = await failure(distrustful);
    expect(err.code).toBe('KOMBIT_SOAP_TLS_FAILED');
    expect(err.message).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/);
    expect(fake.seen.length).toBe(before); // neither request got through
    // The right certificate works against the same server.
    await (await client()).tilfoejVaerdier(randomUUID(), [CPR]);
    expect(fake.seen.length).toBe(before + 1);
  });

  it('nothing listening', async () => {
    const closed: Server = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((r) => closed.close(() => r()));
    const err = await failure(
      await client({ endpoint: `https://127.0.0.1:${port}/sts-bf-soap/StsbeskedfordelerImpl` }),
    );
    expect(err.code).toBe('KOMBIT_SOAP_UNREACHABLE');
  });
});
