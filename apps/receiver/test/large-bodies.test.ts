import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { metrics } from '@cprh/runtime';
import { makeDevPki } from '@cprh/testkit';
import { namespaceBombBody } from './support/abuse';
import { pushBody, pushClient, startTestReceiver, type ReceiverUnderTest } from './support/receiver-harness';

// Bodies over 64 KiB are read one at a time and checked in the receiver's check thread.
describe('large bodies', () => {
  const pki = makeDevPki();
  let rx: ReceiverUnderTest;
  let client: ReturnType<typeof pushClient>;

  beforeAll(async () => {
    rx = await startTestReceiver(pki);
    client = pushClient(pki, { cert: pki.path('client.crt'), key: pki.path('client.key'), connections: 4 });
  });
  afterAll(async () => {
    await client.close();
    await rx.stop();
    pki.remove();
  });

  it('stores a good 300 KB push (checked in the thread) under its BeskedId, exact bytes', async () => {
    const id = randomUUID();
    const body = Buffer.from(
      pushBody(id).replace('<ns2:BeskedVersion>', `${' '.repeat(300_000)}<ns2:BeskedVersion>`),
    );
    const r = await client.send(rx.url, body);
    expect([r.status, r.statusKode]).toEqual([200, 20]);
    const job = (await rx.inboxJobs()).find((j) => j.id === `b-${id}`);
    expect(job?.body.equals(body)).toBe(true);
  });

  it('refuses a 5.8 MB namespace bomb fast without blocking the event loop; the same bytes again stay one dead letter', async () => {
    const bomb = namespaceBombBody(5_800_000);
    const tooLarge = async (): Promise<number> =>
      (await metrics.deadLetters.get()).values.find((v) => v.labels.code === 'BESKED_TOO_LARGE')?.value ?? 0;
    const lettersBefore = await tooLarge();
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    try {
      const t0 = performance.now();
      // A good push goes on beside each bomb and is answered.
      const [first, good] = await Promise.all([client.send(rx.url, bomb), client.send(rx.url, pushBody())]);
      const again = await client.send(rx.url, bomb);
      const ms = performance.now() - t0;
      expect([first.status, first.statusKode, again.status, again.statusKode]).toEqual([200, 40, 200, 40]);
      expect(first.fejl).toBe('BESKED_TOO_LARGE: an element declares more than 64 namespaces');
      expect(good.statusKode).toBe(20);
      // Unbounded, one such body blocked the loop 2.4-6.6 s (checked, then read again for its id).
      expect(delay.max / 1e6).toBeLessThan(400);
      expect(ms).toBeLessThan(5000);
    } finally {
      delay.disable();
    }
    const letters = (await rx.deadLetters()).filter((d) => d.body.equals(bomb));
    expect(letters.map((l) => [l.data.code, /^raw-[0-9a-f]{64}$/.test(l.id)])).toEqual([
      ['BESKED_TOO_LARGE', true],
    ]);
    // The repeat was found kept and not sent to Redis again: one dead letter recorded, not two.
    expect((await tooLarge()) - lettersBefore).toBe(1);
  });
});
