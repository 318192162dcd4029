import { randomUUID, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { metricsRegistry } from '@cprh/runtime';
import { makeDevPki } from '@cprh/testkit';
import { expectValidAnswers, pushBody, pushClient, type PushReply } from './support/receiver-harness';
import { startTenantsTestReceiver, type TenantsReceiverUnderTest } from './support/tenants-harness';

const fingerprintOf = (certFile: string): string =>
  new X509Certificate(readFileSync(certFile)).fingerprint256;

const refusedCount = async (reason: string): Promise<number> => {
  const text = await metricsRegistry.getSingleMetricAsString('cprh_receiver_pushes_refused_total');
  return Number(new RegExp(`reason="${reason}"[^}]*\\} (\\d+)`).exec(text)?.[1] ?? 0);
};

// One receiver, one port, three tenants (TENANTS_FILE): each push lands in its path's tenant's
// inbox only; a path no tenant has is answered 404 / StatusKode 40 and nothing is stored; a tenant
// with its own RECEIVER_ALLOWED_SUBJECTS answers another certificate 403 / StatusKode 40.
describe('the receiver serving three tenants on one port (real HTTPS, mutual TLS, real Redis)', () => {
  const pki = makeDevPki();
  const stranger = pki.makeClientCert('stranger', { startDays: -1, endDays: 30 });
  const TENANTS = ['aarhus', 'odense', 'aalborg'] as const;
  let rx: TenantsReceiverUnderTest;
  const dev = pushClient(pki, { cert: pki.files.clientCert, key: pki.files.clientKey });
  const strangerClient = pushClient(pki, { cert: stranger.cert, key: stranger.key });
  const url = (tenant: string): string => rx.receiver.urls.get(tenant) ?? '';

  beforeAll(async () => {
    rx = await startTenantsTestReceiver(pki, [
      { id: 'aarhus', cvr: '55133018', dueslag: randomUUID() },
      { id: 'odense', cvr: '35209115', dueslag: randomUUID() },
      {
        id: 'aalborg',
        cvr: '29189420',
        dueslag: randomUUID(),
        pushPath: '/kombit/push/aalborg-kommune',
        settings: { RECEIVER_ALLOWED_SUBJECTS: fingerprintOf(pki.files.clientCert) },
      },
    ]);
  });
  afterAll(async () => {
    await dev.close();
    await strangerClient.close();
    await rx.stop();
    pki.remove();
  });

  it('gives each tenant its own push URL on the one port: RECEIVER_PATH/<id>, or its pushPath', () => {
    const base = `https://127.0.0.1:${rx.receiver.port}`;
    expect(Object.fromEntries(rx.receiver.urls)).toEqual({
      aarhus: `${base}/sts/beskedfordeler/ModtagBesked/aarhus`,
      odense: `${base}/sts/beskedfordeler/ModtagBesked/odense`,
      aalborg: `${base}/kombit/push/aalborg-kommune`,
    });
  });

  it("stores each tenant's pushes in its own inbox only", async () => {
    const sent = new Map<string, string[]>(TENANTS.map((t) => [t, []]));
    const replies: PushReply[] = [];
    // Interleaved, on the same keep-alive connections: only the path tells the tenants apart.
    for (let i = 0; i < 4; i++) {
      for (const t of TENANTS) {
        const id = randomUUID();
        sent.get(t)!.push(`b-${id}`);
        replies.push(await dev.send(url(t), pushBody(id)));
      }
    }
    expect(replies.map((r) => `${r.status} ${r.statusKode}`)).toEqual(replies.map(() => '200 20'));
    for (const t of TENANTS) expect(await rx.inboxIds(t)).toEqual(sent.get(t)!.sort());
    await expectValidAnswers(replies);
  });

  it('answers a path no tenant has 404 / StatusKode 40, stores nothing and counts it', async () => {
    const before = await Promise.all(TENANTS.map((t) => rx.inboxIds(t)));
    const beforeRefused = await refusedCount('unknown_tenant');
    const paths = [
      '/sts/beskedfordeler/ModtagBesked/esbjerg',
      '/sts/beskedfordeler/ModtagBesked',
      // aalborg has its own pushPath: the default one is nobody's.
      '/sts/beskedfordeler/ModtagBesked/aalborg',
      '/other',
    ];
    const replies: PushReply[] = [];
    for (const p of paths) replies.push(await dev.send(new URL(p, url('aarhus')).toString(), pushBody()));
    expect(replies.map((r) => [r.status, r.statusKode, r.fejl])).toEqual(
      paths.map(() => [404, 40, 'no such resource']),
    );
    await expectValidAnswers(replies);
    expect(await Promise.all(TENANTS.map((t) => rx.inboxIds(t)))).toEqual(before);
    for (const t of TENANTS) expect(await rx.deadLetterCount(t)).toBe(0);
    expect((await refusedCount('unknown_tenant')) - beforeRefused).toBe(paths.length);
  });

  it('refuses a push to a tenant restricted to another client certificate with 403 / StatusKode 40', async () => {
    const beforeRefused = await refusedCount('client_not_allowed');
    const before = await rx.inboxIds('aalborg');
    const refused = await strangerClient.send(url('aalborg'), pushBody());
    expect([refused.status, refused.statusKode, refused.fejl]).toEqual([
      403,
      40,
      'this client certificate may not push to this path',
    ]);
    await expectValidAnswers([refused]);
    expect(await rx.inboxIds('aalborg')).toEqual(before);
    expect(await rx.deadLetterCount('aalborg')).toBe(0);
    expect((await refusedCount('client_not_allowed')) - beforeRefused).toBe(1);
    // The same certificate may push to the tenants that do not restrict it, on the same connection.
    const id = randomUUID();
    expect((await strangerClient.send(url('odense'), pushBody(id))).statusKode).toBe(20);
    expect(await rx.inboxIds('odense')).toContain(`b-${id}`);
    // And aalborg's own certificate is let in.
    expect((await dev.send(url('aalborg'), pushBody())).statusKode).toBe(20);
  });

  it('labels the answers by tenant, and every unknown path by the one value "(none)"', async () => {
    const text = await metricsRegistry.getSingleMetricAsString('cprh_receiver_answers_total');
    for (const t of TENANTS) {
      expect(text).toMatch(
        new RegExp(
          `^cprh_receiver_answers_total\\{tenant="${t}",http_status="200",status_kode="20"\\} [1-9]`,
          'm',
        ),
      );
    }
    expect(text).toMatch(
      /^cprh_receiver_answers_total\{tenant="\(none\)",http_status="404",status_kode="40"\} 4$/m,
    );
    expect(text).toMatch(
      /^cprh_receiver_answers_total\{tenant="aalborg",http_status="403",status_kode="40"\} 1$/m,
    );
    expect(text).not.toMatch(/esbjerg|other/);
    const stored = await metricsRegistry.getSingleMetricAsString('cprh_messages_stored_total');
    expect(stored).toMatch(/^cprh_messages_stored_total\{channel="push",tenant="aarhus"\} 4$/m);
  });
});

// When every tenant lists its callers, a certificate no tenant lists is refused at the TLS
// handshake (as RECEIVER_ALLOWED_SUBJECTS does without tenants), and one tenant's caller is
// answered 403 at another tenant's path.
describe('tenants that each allow only their own client certificate', () => {
  const pki = makeDevPki();
  const other = pki.makeClientCert('other-supplier', { startDays: -1, endDays: 30 });
  const outsider = pki.makeClientCert('outsider', { startDays: -1, endDays: 30 });
  let rx: TenantsReceiverUnderTest;
  const dev = pushClient(pki, { cert: pki.files.clientCert, key: pki.files.clientKey });
  const otherClient = pushClient(pki, { cert: other.cert, key: other.key });
  const outsiderClient = pushClient(pki, { cert: outsider.cert, key: outsider.key });
  const url = (tenant: string): string => rx.receiver.urls.get(tenant) ?? '';

  beforeAll(async () => {
    rx = await startTenantsTestReceiver(pki, [
      {
        id: 'vejle',
        cvr: '29189633',
        dueslag: randomUUID(),
        settings: { RECEIVER_ALLOWED_SUBJECTS: 'cprh dev (funktionscertifikat)' },
      },
      {
        id: 'horsens',
        cvr: '29189676',
        dueslag: randomUUID(),
        settings: { RECEIVER_ALLOWED_SUBJECTS: fingerprintOf(other.cert) },
      },
    ]);
  });
  afterAll(async () => {
    for (const c of [dev, otherClient, outsiderClient]) await c.close();
    await rx.stop();
    pki.remove();
  });

  it("takes each tenant's pushes from its own certificate only", async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    expect((await dev.send(url('vejle'), pushBody(a))).statusKode).toBe(20);
    expect((await otherClient.send(url('horsens'), pushBody(b))).statusKode).toBe(20);
    const crossed = [
      await dev.send(url('horsens'), pushBody()),
      await otherClient.send(url('vejle'), pushBody()),
    ];
    expect(crossed.map((r) => [r.status, r.statusKode])).toEqual([
      [403, 40],
      [403, 40],
    ]);
    // A certificate of the same CA that no tenant lists does not get past the handshake.
    await expect(outsiderClient.send(url('vejle'), pushBody())).rejects.toThrow();
    expect(await rx.inboxIds('vejle')).toEqual([`b-${a}`]);
    expect(await rx.inboxIds('horsens')).toEqual([`b-${b}`]);
  });
});

describe('two tenants on one path', () => {
  const pki = makeDevPki();
  afterAll(() => pki.remove());

  it("stop the start with RECEIVER_TENANT_PATH_TAKEN (a pushPath equal to another tenant's default path)", async () => {
    await expect(
      startTenantsTestReceiver(pki, [
        { id: 'aarhus', cvr: '55133018', dueslag: randomUUID() },
        {
          id: 'randers',
          cvr: '29189668',
          dueslag: randomUUID(),
          pushPath: '/sts/beskedfordeler/ModtagBesked/aarhus',
        },
      ]),
    ).rejects.toMatchObject({
      code: 'RECEIVER_TENANT_PATH_TAKEN',
      message:
        'tenants aarhus and randers have the same push path /sts/beskedfordeler/ModtagBesked/aarhus; give one of them another pushPath',
    });
  });
});
