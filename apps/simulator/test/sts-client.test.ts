import { makeDevPki, type DevPki } from '@cprh/testkit';
import {
  FunctionCertificate,
  KombitError,
  StsClient,
  issueRequest,
  type StsClientOptions,
} from '@cprh/kombit';
import { loadCerts } from '../src/certificates';
import { startStsServer, type StsServer } from '../src/sts/sts-server';
import { capturedLog } from './support/captured-log';

// @cprh/kombit's STS client against the simulator's STS, over real mutual TLS on loopback.
const AUDIENCE = 'http://entityid.kombit.dk/service/bfo_modtag/2';
const LIFETIME_S = 60;

describe('StsClient against the simulator STS', () => {
  let pki: DevPki;
  let otherPki: DevPki;
  let sts: StsServer;
  let cert: FunctionCertificate;
  const { log, lines } = capturedLog('debug');
  const clients: StsClient[] = [];

  function client(extra: Partial<StsClientOptions> = {}): StsClient {
    const c = new StsClient({
      url: sts.issueUrl,
      cvr: '12345678',
      appliesTo: AUDIENCE,
      refreshMarginSeconds: 30,
      certificate: cert,
      retry: { attempts: 3, minMs: 20, maxMs: 100 },
      log,
      ...extra,
    });
    clients.push(c);
    return c;
  }

  async function failure(p: Promise<unknown>): Promise<KombitError> {
    const err = await p.then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(err instanceof KombitError)) throw new Error(`expected a KombitError, got ${String(err)}`);
    return err;
  }

  beforeAll(async () => {
    pki = makeDevPki('12345678');
    otherPki = makeDevPki('12345678');
    sts = await startStsServer({
      host: '127.0.0.1',
      port: 0,
      certs: loadCerts(pki.dir),
      lifetimeSeconds: LIFETIME_S,
    });
    cert = FunctionCertificate.load(pki.clientPem());
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await sts.close();
    pki.remove();
    otherPki.remove();
  });

  it('sends exactly the STS.json fields and reads the expiry from Conditions/@NotOnOrAfter', async () => {
    expect(issueRequest(cert.useKey(), '12345678', AUDIENCE)).toEqual({
      TokenType: 'http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV2.0',
      RequestType: 'http://docs.oasis-open.org/ws-sx/ws-trust/200512/Issue',
      KeyType: 'http://docs.oasis-open.org/ws-sx/ws-trust/200512/PublicKey',
      AnvenderKontekst: { Cvr: '12345678' },
      UseKey: cert.useKey(),
      AppliesTo: { EndpointReference: { Address: AUDIENCE } },
    });
    const before = Date.now();
    const token = await client().token();
    const xml = token.assertionXml();
    expect(xml).toMatch(/^<Assertion /);
    const conditions = /<Conditions NotBefore="([^"]+)" NotOnOrAfter="([^"]+)"/.exec(xml);
    // Milliseconds: the assertion, not the second-precision Lifetime string, gave the expiry.
    expect(token.notOnOrAfter.toISOString()).toBe(conditions?.[2]);
    expect(token.notOnOrAfter.getTime() - before).toBeGreaterThan((LIFETIME_S - 2) * 1000);
    expect(token.audience).toBe(AUDIENCE);
    expect(token.subject).toContain('CVR:12345678');
  });

  it('caches until the refresh margin before expiry, then fetches a new token', async () => {
    let offsetMs = 0;
    const c = client({ refreshMarginSeconds: 10, now: () => new Date(Date.now() + offsetMs) });
    const first = await c.token();
    expect(await c.token()).toBe(first);
    offsetMs = (LIFETIME_S - 15) * 1000; // 15 s left: still outside the margin
    expect(await c.token()).toBe(first);
    offsetMs = (LIFETIME_S - 5) * 1000; // inside the 10 s margin
    const second = await c.token();
    expect(second).not.toBe(first);
    expect(second.assertionXml()).not.toBe(first.assertionXml());
    expect((await c.fresh()).assertionXml()).not.toBe(second.assertionXml());
  });

  it('a margin not shorter than half the token lifetime is clamped to half of it, and logged once', async () => {
    const c = client({ refreshMarginSeconds: 3600 });
    const token = await c.fresh();
    const lifetimeMs = token.notOnOrAfter.getTime() - (token.notBefore ?? new Date()).getTime();
    expect(token.notOnOrAfter.getTime() - c.renewAt(token).getTime()).toBe(lifetimeMs / 2);
    c.renewAt(token);
    c.renewAt(await c.fresh());
    const clamped = lines.filter((l) =>
      l.includes('STS_REFRESH_MARGIN_SECONDS (3600 s) is not shorter than half'),
    );
    expect(clamped).toHaveLength(1);
    expect(clamped[0]).toContain(`"tokenLifetimeSeconds":${LIFETIME_S}`);
    // A margin shorter than half the lifetime is used as it is, without a word.
    const d = client({ refreshMarginSeconds: 10 });
    const t2 = await d.fresh();
    expect(t2.notOnOrAfter.getTime() - d.renewAt(t2).getTime()).toBe(10_000);
    expect(lines.filter((l) => l.includes('(10 s) is not shorter'))).toHaveLength(0);
  });

  it('retries a 500 and succeeds; gives up with KOMBIT_STS_FAILED when it keeps failing', async () => {
    sts.failNext(1);
    const token = await client().fresh();
    expect(token.secondsLeft()).toBeGreaterThan(LIFETIME_S - 5);
    expect(lines.join('')).toMatch(/sts: token request failed; retrying/);

    sts.failNext(5);
    const err = await failure(client().fresh());
    expect(err.code).toBe('KOMBIT_STS_FAILED');
    expect(err.message).toBe('the STS answered HTTP 500: injected failure (simulator chaos)');
    sts.failNext(0);
  });

  it('a 401 carries the STS error text and is not retried', async () => {
    const err = await failure(client({ cvr: '87654321' }).fresh());
    expect(err.code).toBe('KOMBIT_STS_REFUSED');
    expect(err.message).toBe(
      'the STS answered HTTP 401: AnvenderKontekst.Cvr does not match the certificate and has no service agreement',
    );
  });

  it('a client certificate the STS does not trust is refused in the TLS handshake', async () => {
    const stranger = FunctionCertificate.load({
      kind: 'pem',
      certFile: otherPki.path('client.crt'),
      keyFile: otherPki.path('client.key'),
      caFile: pki.path('ca.crt'),
    });
    const err = await failure(
      client({ certificate: stranger, retry: { attempts: 2, minMs: 10, maxMs: 10 } }).fresh(),
    );
    expect(err.code).toBe('KOMBIT_STS_UNREACHABLE');
    expect(err.message).toMatch(/^the STS at 127\.0\.0\.1:\d+ is not reachable: /);
  });

  it('an STS whose server certificate is not trusted is refused', async () => {
    const noCa = FunctionCertificate.load({
      kind: 'pem',
      certFile: pki.path('client.crt'),
      keyFile: pki.path('client.key'),
    });
    const err = await failure(
      client({ certificate: noCa, retry: { attempts: 1, minMs: 10, maxMs: 10 } }).fresh(),
    );
    expect(err.code).toBe('KOMBIT_STS_UNREACHABLE');
  });

  it('logs no assertion, certificate or key', async () => {
    const token = await client().fresh();
    const all = lines.join('');
    expect(all).toMatch(/sts: token issued/);
    const xml = token.assertionXml();
    for (const secret of [
      xml.slice(0, 40),
      Buffer.from(xml).toString('base64').slice(0, 40),
      cert.useKey().slice(0, 40),
      cert.tls().key.split('\n')[1] ?? 'x',
      'PRIVATE KEY',
      '<Assertion',
    ]) {
      expect(all).not.toContain(secret);
    }
    expect(JSON.stringify(token)).not.toContain('<Assertion');
  });
});
