import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import { BFO_MODTAG_ENTITY } from '@cprh/config';
import { type DueslagConnection, FunctionCertificate, KombitError, type StsClient } from '@cprh/kombit';
import { makeDevPki, TEST_AMQP_URL, waitFor, type DevPki } from '@cprh/testkit';
import { loadCerts, type CertBundle } from '../src/certificates';
import { startBeskedfordelerFront, type BeskedfordelerFront } from '../src/dueslag/beskedfordeler-front';
import { DueslagOwners } from '../src/dueslag/dueslag-owners';
import { startStsServer, type StsServer } from '../src/sts/sts-server';
import { BF_URL, declareBfQueues, deleteBfQueues } from './support/bf-queues';
import { capturedLog } from './support/captured-log';
import { FrontClients } from './support/front-clients';

// Several municipalities on one supplier certificate (CVR 12345678, an agreement per municipality):
// the STS issues a token for the CVR asked, and the AMQP front opens a dueslag only to its own CVR's
// token. Real TLS on loopback, real RabbitMQ (vhost BF) behind the front.
const CVR_A = '29189846';
const CVR_B = '29189870';
const CVR_UNKNOWN = '55133018';

describe('Beskedfordeler AMQP front with several CVRs', () => {
  let pki: DevPki;
  let certs: CertBundle;
  let cert: FunctionCertificate;
  let front: BeskedfordelerFront;
  let sts: StsServer;
  let clients: FrontClients;
  const queueA = randomUUID();
  const queueB = randomUUID();
  const { log, lines } = capturedLog('info');

  beforeAll(async () => {
    pki = makeDevPki('12345678');
    certs = loadCerts(pki.dir);
    cert = FunctionCertificate.load(pki.clientPem());
    clients = new FrontClients(cert, log);
    await declareBfQueues([queueA, queueB]);
    const agreements = new Set([CVR_A, CVR_B]);
    front = await startBeskedfordelerFront({
      host: '127.0.0.1',
      port: 0,
      certs,
      upstreamUrl: TEST_AMQP_URL,
      audience: BFO_MODTAG_ENTITY,
      agreements,
      owners: new DueslagOwners([
        { dueslag: queueA, cvr: CVR_A },
        { dueslag: queueB, cvr: CVR_B },
      ]),
      logger: log,
    });
    sts = await startStsServer({ host: '127.0.0.1', port: 0, certs, lifetimeSeconds: 300, agreements });
  });

  afterAll(async () => {
    await clients.closeAll();
    await front.close();
    await sts.close();
    await deleteBfQueues([queueA, queueB]);
    pki.remove();
  });

  function stsClient(cvr: string): StsClient {
    return clients.sts(sts, cvr);
  }

  function connection(cvr: string, queue: string): DueslagConnection {
    return clients.dueslag({ frontUrl: front.url, queue, sts: stsClient(cvr), declareQueue: false });
  }

  /** A raw amqplib connection through the front with a token for `cvr`. */
  async function rawConnection(cvr: string): Promise<amqp.ChannelModel> {
    const token = await stsClient(cvr).fresh();
    const xml = Buffer.from(token.assertionXml(), 'utf8');
    const conn = await amqp.connect(front.url, {
      credentials: { mechanism: 'EXTERNAL', username: '', password: '', response: () => xml },
      ...cert.tls(),
    });
    conn.on('error', () => undefined);
    clients.track(() => conn.close());
    return conn;
  }

  it('issues a token carrying the CVR asked for, for each agreement, and refuses a CVR without one', async () => {
    expect((await stsClient(CVR_A).fresh()).assertionXml()).toContain(`<AttributeValue>${CVR_A}<`);
    expect((await stsClient(CVR_B).fresh()).assertionXml()).toContain(`<AttributeValue>${CVR_B}<`);
    const err = await stsClient(CVR_UNKNOWN)
      .fresh()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect((err as KombitError).code).toBe('KOMBIT_STS_REFUSED');
    expect((err as KombitError).message).toMatch(/HTTP 401: AnvenderKontekst.Cvr does not match/);
  });

  it("a token for CVR A reads A's dueslag", async () => {
    const pub = await amqp.connect(BF_URL);
    const pch = await pub.createConfirmChannel();
    const body = `for A ${randomUUID()}`;
    pch.sendToQueue(queueA, Buffer.from(body), { persistent: true });
    await pch.waitForConfirms();
    await pub.close();
    const ch = await connection(CVR_A, queueA).start();
    const got: string[] = [];
    await ch.consume(queueA, (m) => {
      if (m) {
        got.push(m.content.toString('utf8'));
        ch.ack(m);
      }
    });
    await waitFor("A's message", () => got.includes(body), { timeoutMs: 10_000 });
  });

  it("a token for CVR A is refused on B's dueslag with 403 ACCESS_REFUSED", async () => {
    const err = await connection(CVR_A, queueB)
      .start()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(KombitError);
    expect((err as KombitError).code).toBe('KOMBIT_DUESLAG_UNAVAILABLE');
    expect((err as KombitError).message).toMatch(
      new RegExp(
        `403 \\(ACCESS-REFUSED\\).*access to queue '${queueB}' in vhost 'BF' refused for CVR ${CVR_A}`,
      ),
    );
    expect(lines.join('')).toMatch(/access to another CVR’s dueslag refused/);
  });

  it('the refusal closes only that channel: the connection and its next channels go on', async () => {
    const conn = await rawConnection(CVR_B);
    const refused = await conn.createChannel();
    refused.on('error', () => undefined);
    const consumeErr = await refused
      .consume(queueA, () => undefined)
      .then(
        () => 'accepted',
        (e: Error) => e.message,
      );
    expect(consumeErr).toMatch(/403 \(ACCESS-REFUSED\).*access to queue '[0-9a-f-]+' in vhost 'BF'/);
    // The same channel number is free again at once, on the front and upstream alike.
    for (let i = 0; i < 3; i++) {
      const ch = await conn.createChannel();
      ch.on('error', () => undefined);
      expect((await ch.checkQueue(queueB)).queue).toBe(queueB);
      const again = await ch.checkQueue(queueA).then(
        () => 'accepted',
        (e: Error) => e.message,
      );
      expect(again).toMatch(/403 \(ACCESS-REFUSED\)/);
    }
    const ok = await conn.createChannel();
    expect((await ok.checkQueue(queueB)).queue).toBe(queueB);
    await conn.close();
  });
});
