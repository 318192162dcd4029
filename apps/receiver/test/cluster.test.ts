import { loadConfig } from '@cprh/config';
import { makeDevPki, startRedisCluster, type OwnRedisCluster } from '@cprh/testkit';
import {
  expectValidAnswers,
  pushBody,
  pushClient,
  startTestReceiver,
  type ReceiverUnderTest,
} from './support/receiver-harness';
import { randomUUID } from 'node:crypto';

// The receiver on its own 6-node Redis Cluster: it answers 20 only after a replica of the inbox's
// master confirmed the write (WAIT), and 50 (HTTP 503) while none does.
describe('receiver on a Redis Cluster', () => {
  const pki = makeDevPki();
  let cluster: OwnRedisCluster;
  let client: ReturnType<typeof pushClient>;
  let rx: ReceiverUnderTest | undefined;

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
    rx = await startTestReceiver(pki, { REDIS_WAIT_TIMEOUT_MS: '300' }, cluster);
    const ok = await client.send(rx.url, pushBody());
    expect([ok.status, ok.statusKode]).toEqual([200, 20]);

    const seqKey = loadConfig(['pipeline'], rx.env.env).pipeline.seqKey;
    const replicas = await cluster.replicasOf(await cluster.masterOf(seqKey));
    expect(replicas.length).toBeGreaterThan(0);
    const id = randomUUID();
    const body = pushBody(id);
    const broken = pushBody().slice(0, 200);
    for (const p of replicas) cluster.pause(p);
    let held;
    let heldBroken;
    try {
      held = await client.send(rx.url, body);
      // A body answered 40 is never sent again: its dead letter waits for a replica too.
      heldBroken = await client.send(rx.url, broken);
    } finally {
      for (const p of replicas) cluster.resume(p);
    }
    expect([held.status, held.statusKode, held.headers['retry-after']]).toEqual([503, 50, '1']);
    expect([heldBroken.status, heldBroken.statusKode]).toEqual([503, 50]);
    const brokenAgain = await client.send(rx.url, broken);
    expect([brokenAgain.status, brokenAgain.statusKode]).toEqual([200, 40]);
    expect(await rx.deadLetters()).toHaveLength(1);
    // Beskedfordeler sends it again: now confirmed, and the inbox holds it once.
    const again = await client.send(rx.url, body);
    expect([again.status, again.statusKode]).toEqual([200, 20]);
    const jobs = await rx.inboxJobs();
    expect(jobs).toHaveLength(2);
    expect(jobs.filter((j) => j.body.toString('utf8') === body)).toHaveLength(1);
    await expectValidAnswers([ok, held, heldBroken, brokenAgain, again]);
  }, 60000);
});
