import { randomUUID, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import amqp from 'amqplib';
import { BFO_MODTAG_ENTITY } from '@cprh/config';
import { type DueslagConnection, FunctionCertificate, KombitError, type StsClient } from '@cprh/kombit';
import { makeDevPki, TEST_AMQP_URL, waitFor, type DevPki } from '@cprh/testkit';
import { loadCerts, type CertBundle } from '../src/certificates';
import { startBeskedfordelerFront, type BeskedfordelerFront } from '../src/dueslag/beskedfordeler-front';
import { assertionXml, signAssertion } from '../src/sts/saml-assertion';
import { startStsServer, type StsServer } from '../src/sts/sts-server';
import { declareBfQueues, deleteBfQueues } from './support/bf-queues';
import { capturedLog } from './support/captured-log';
import { FrontClients } from './support/front-clients';

// The simulator's Beskedfordeler AMQP front: real TLS on loopback, real RabbitMQ behind it.

describe('Beskedfordeler AMQP front', () => {
  let pki: DevPki;
  let strangerPki: DevPki;
  let certs: CertBundle;
  let front: BeskedfordelerFront;
  let sts: StsServer;
  let staleSts: StsServer;
  let cert: FunctionCertificate;
  let clients: FrontClients;
  const queue = randomUUID();
  const { log, lines } = capturedLog('info');

  beforeAll(async () => {
    pki = makeDevPki('12345678');
    strangerPki = makeDevPki('12345678');
    certs = loadCerts(pki.dir);
    await declareBfQueues([queue]);
    front = await startBeskedfordelerFront({
      host: '127.0.0.1',
      port: 0,
      certs,
      upstreamUrl: TEST_AMQP_URL,
      audience: BFO_MODTAG_ENTITY,
      logger: log,
    });
    sts = await startStsServer({ host: '127.0.0.1', port: 0, certs, lifetimeSeconds: 3 });
    // An STS whose clock is an hour behind: everything it issues has expired.
    staleSts = await startStsServer({
      host: '127.0.0.1',
      port: 0,
      certs,
      lifetimeSeconds: 300,
      now: () => new Date(Date.now() - 3600_000),
    });
    cert = FunctionCertificate.load(pki.clientPem());
    clients = new FrontClients(cert, log);
  });

  afterAll(async () => {
    await clients.closeAll();
    await front.close();
    await sts.close();
    await staleSts.close();
    await deleteBfQueues([queue]);
    pki.remove();
    strangerPki.remove();
  });

  function stsClient(server: StsServer): StsClient {
    return clients.sts(server, '12345678');
  }

  function connection(client: StsClient): DueslagConnection {
    // declareQueue is ignored in sts mode: KOMBIT's queues are never declared.
    return clients.dueslag({ frontUrl: front.url, queue, sts: client, declareQueue: true });
  }

  /** Raw amqplib login with a hand-made token, as any client would send it. */
  async function loginWith(xml: string, who: DevPki = pki): Promise<unknown> {
    const response = Buffer.from(xml, 'utf8');
    return amqp
      .connect(front.url, {
        credentials: { mechanism: 'EXTERNAL', username: '', password: '', response: () => response },
        cert: new X509Certificate(readPem(who, 'client.crt')).toString(),
        key: readPem(who, 'client.key'),
        ca: certs.ca,
      })
      .then(
        async (c) => {
          await c.close();
          return 'accepted';
        },
        (err: Error) => err.message,
      );
  }

  it('logs in with an STS token over TLS + EXTERNAL and relays to vhost BF; the token expiry closes with 320', async () => {
    const c = connection(stsClient(sts));
    const lost: string[] = [];
    c.on('lost', (_ch, reason) => lost.push(reason));
    const ch = await c.start();
    expect((await ch.checkQueue(queue)).queue).toBe(queue);
    // The simulator STS issues 3-second tokens here; renewal (margin 1 s) replaces the connection first.
    await waitFor('a renewal', () => lost.includes('token_renewal'), { timeoutMs: 8000 });
    expect(lines.join('')).toMatch(/AMQP connection renewed with a fresh token/);
    await c.close();
  });

  it('closes a connection whose token expires with 320 CONNECTION_FORCED', async () => {
    const token = await stsClient(sts).fresh();
    const conn = await amqp.connect(front.url, {
      credentials: {
        mechanism: 'EXTERNAL',
        username: '',
        password: '',
        response: () => Buffer.from(token.assertionXml()),
      },
      ...cert.tls(),
    });
    const closed = new Promise<string>((resolve) =>
      conn.on('close', (err?: Error) => resolve(err?.message ?? 'clean')),
    );
    conn.on('error', () => undefined);
    expect(await closed).toMatch(/320 \(CONNECTION-FORCED\).*token expired/);
  });

  it('an expired token is refused and the poller says why', async () => {
    const err = await connection(stsClient(staleSts))
      .start()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(KombitError);
    expect((err as KombitError).code).toBe('KOMBIT_AMQP_REFUSED');
    expect((err as KombitError).message).toMatch(
      /refused the login: ACCESS_REFUSED - the token has expired$/,
    );
  });

  it.each([
    ['another CVR', { cvr: '87654321' }, "the token's CVR is not the certificate's"],
    [
      'another audience',
      { audience: 'http://entityid.kombit.dk/service/other/1' },
      'the token is for http://entityid.kombit.dk/service/other/1',
    ],
    ['expired', { notOnOrAfter: new Date(Date.now() - 1000) }, 'the token has expired'],
  ])('refuses a token with %s', async (_what, change, reason) => {
    expect(await loginWith(token(change))).toMatch(new RegExp(`403 \\(ACCESS-REFUSED\\).*${escape(reason)}`));
  });

  it('refuses a token not signed by the STS, one bound to another certificate, and PLAIN', async () => {
    const forged = signAssertion(
      assertionXml(facts({})),
      readPem(strangerPki, 'ca.key'),
      readPem(strangerPki, 'ca.crt'),
    );
    expect(await loginWith(forged)).toMatch(/ACCESS_REFUSED - the assertion signature is not valid/);
    const other = new X509Certificate(readPem(strangerPki, 'client.crt')).raw.toString('base64');
    expect(await loginWith(token({ clientCertBase64: other }))).toMatch(
      /not bound to this client certificate/,
    );
    const plain = await amqp
      .connect(front.url.replace('amqps://', 'amqps://guest:guest@'), { ...cert.tls() })
      .then(
        () => 'accepted',
        (e: Error) => e.message,
      );
    expect(plain).toMatch(/EXTERNAL|PLAIN/);
  });

  it('refuses a TLS client without a certificate from the dev CA', async () => {
    const stranger = FunctionCertificate.load({
      kind: 'pem',
      certFile: strangerPki.path('client.crt'),
      keyFile: strangerPki.path('client.key'),
    });
    const result = await amqp.connect(front.url, { ...stranger.tls(), ca: certs.ca }).then(
      () => 'accepted',
      (e: Error) => e.message,
    );
    expect(result).not.toBe('accepted');
  });

  function facts(change: Record<string, unknown>): Parameters<typeof assertionXml>[0] {
    const now = new Date();
    return {
      id: `_${randomUUID()}`,
      issuer: 'https://sts.test/',
      issueInstant: now,
      notBefore: now,
      notOnOrAfter: new Date(now.getTime() + 60_000),
      subjectName: 'C=DK,CN=test',
      clientCertBase64: cert.useKey(),
      audience: BFO_MODTAG_ENTITY,
      cvr: '12345678',
      ...change,
    };
  }

  function token(change: Record<string, unknown>): string {
    return signAssertion(assertionXml(facts(change)), certs.caKey, certs.ca);
  }
});

function readPem(pki: DevPki, name: string): string {
  return readFileSync(pki.path(name), 'utf8');
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
