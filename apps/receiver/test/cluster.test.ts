import { loadConfig } from '@cprh/config';
import { makeDevPki, startRedisCluster, type OwnRedisCluster } from '@cprh/testkit';
import {
  expectValidAnswers,
  pushBody,
  pushClient,
  startTestReceiver,
  type ReceiverUnderTest,
} from './support/receiver-harness';
import { startTenantsTestReceiver, type TenantsReceiverUnderTest } from './support/tenants-harness';
import { randomUUID } from 'node:crypto';

// The receiver on its own 6-node Redis Cluster: it answers 20 only after a replica of the inbox's
// master confirmed the write (WAIT), and 50 (HTTP 503) while none does.
describe('receiver on a Redis Cluster', () => {
  const pki = makeDevPki();
  let cluster: OwnRedisCluster;
  let client: ReturnType<typeof pushClient>;
  let rx: ReceiverUnderTest | TenantsReceiverUnderTest | undefined;

  beforeAll(async () => {
    cluster = await startRedisCluster();
    client = pushClient(pki, { cert: pki.path('client.crt'), key: pki.path('client.key') });
  }, 120000);
  afterEach(async () => {
    await rx?.stop();
    rx = undefined;
  });
  afterAll(async () => {
    await client?.close();
    await cluster?.stop();
    pki.remove();
  });

  it('answers 20 once a replica has the message, 50 while no replica confirms; stored once', async () => {
    const r = (rx = await startTestReceiver(pki, { REDIS_WAIT_TIMEOUT_MS: '300' }, cluster));
    const ok = await client.send(r.url, pushBody());
    expect([ok.status, ok.statusKode]).toEqual([200, 20]);

    const seqKey = loadConfig(['pipeline'], r.env.env).pipeline.seqKey;
    const replicas = await cluster.replicasOf(await cluster.masterOf(seqKey));
    expect(replicas.length).toBeGreaterThan(0);
    const id = randomUUID();
    const body = pushBody(id);
    const broken = pushBody().slice(0, 200);
    for (const p of replicas) cluster.pause(p);
    let held;
    let heldBroken;
    try {
      held = await client.send(r.url, body);
      // A body answered 40 is never sent again: its dead letter waits for a replica too.
      heldBroken = await client.send(r.url, broken);
    } finally {
      for (const p of replicas) cluster.resume(p);
    }
    expect([held.status, held.statusKode, held.headers['retry-after']]).toEqual([503, 50, '1']);
    expect([heldBroken.status, heldBroken.statusKode]).toEqual([503, 50]);
    const brokenAgain = await client.send(r.url, broken);
    expect([brokenAgain.status, brokenAgain.statusKode]).toEqual([200, 40]);
    expect(await r.deadLetters()).toHaveLength(1);
    // Beskedfordeler sends it again: now confirmed, and the inbox holds it once.
    const again = await client.send(r.url, body);
    expect([again.status, again.statusKode]).toEqual([200, 20]);
    const jobs = await r.inboxJobs();
    expect(jobs).toHaveLength(2);
    expect(jobs.filter((j) => j.body.toString('utf8') === body)).toHaveLength(1);
    await expectValidAnswers([ok, held, heldBroken, brokenAgain, again]);
  }, 60000);

  it("stores three tenants' pushes, with PARTITIONS=2, each in its own tenant's partitions", async () => {
    const tenants = ['aarhus', 'odense', 'aalborg'];
    const t = (rx = await startTenantsTestReceiver(
      pki,
      tenants.map((id, i) => ({ id, cvr: `5513301${i}`, dueslag: randomUUID() })),
      { PARTITIONS: '2' },
      cluster,
    ));
    const sent = new Map<string, string[]>(tenants.map((id) => [id, []]));
    for (let n = 0; n < 8; n++) {
      for (const tenant of tenants) {
        const id = randomUUID();
        const cpr = `03037${n}${String(tenants.indexOf(tenant)).padStart(4, '0')}`;
        const body = pushBody(id).replace(/urn:oio:cpr-nr:\d{10}/g, `urn:oio:cpr-nr:${cpr}`);
        const r = await client.send(t.receiver.urls.get(tenant) ?? '', body);
        expect([tenant, r.status, r.statusKode]).toEqual([tenant, 200, 20]);
        sent.get(tenant)!.push(`b-${id}`);
      }
    }
    const tag = t.env.prefix.replace(/[{}]/g, '');
    for (const tenant of tenants) {
      const jobs = await t.inboxJobs(tenant);
      expect(jobs.map((j) => j.id).sort()).toEqual(sent.get(tenant)!.sort());
      // Every job sits under one of the tenant's own partition tags.
      expect(new Set(jobs.map((j) => j.prefix))).toEqual(
        new Set([`{${tag}:${tenant}:p0}`, `{${tag}:${tenant}:p1}`]),
      );
    }
  }, 60000);
});
