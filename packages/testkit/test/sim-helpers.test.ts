import { existsSync } from 'node:fs';
import Redis from 'ioredis';
import { request } from 'node:https';
import {
  drainQueue,
  makeTestPki,
  pipelineTestEnv,
  PUSH_OK,
  queueDepth,
  simTestEnv,
  startPushReceiver,
  TEST_REDIS_URL,
  withAmqpChannel,
} from '../src';

describe('testkit: simulator helpers', () => {
  it('simTestEnv gives own names and cleanup removes its queues, keys and PKI', async () => {
    const a = simTestEnv();
    const b = simTestEnv();
    expect(a.dueslag).not.toBe(b.dueslag);
    expect(a.dueslag).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.prefix).not.toBe('cprh-sim:');
    expect(a.env.SIM_DUESLAG).toBe(a.dueslag);
    expect(a.env.SIM_REDIS_PREFIX).toBe(a.prefix);
    const extra = a.newDueslag();
    const redis = new Redis(TEST_REDIS_URL);
    try {
      await withAmqpChannel(async (ch) => {
        await ch.assertQueue(a.dueslag);
        await ch.assertQueue(extra);
        ch.sendToQueue(extra, Buffer.from('x'));
        // A round trip on the same channel: the publish has reached the broker before close.
        expect((await ch.checkQueue(extra)).messageCount).toBe(1);
      });
      await redis.set(`${a.prefix}vl:1`, 'x');
      expect(existsSync(a.certsDir)).toBe(true);
      await a.cleanup();
      await b.cleanup();
      await expect(queueDepth(a.dueslag)).rejects.toThrow(/NOT_FOUND/);
      await expect(queueDepth(extra)).rejects.toThrow(/NOT_FOUND/);
      expect(await redis.exists(`${a.prefix}vl:1`)).toBe(0);
      expect(existsSync(a.certsDir)).toBe(false);
    } finally {
      redis.disconnect();
    }
  });

  it('pipelineTestEnv keeps the simulator of `cprh start` off and away from the demo names', () => {
    const t = pipelineTestEnv();
    expect(t.env.SIM_ENABLED).toBe('false');
    expect(t.env.SIM_DUESLAG).not.toBe('11111111-2222-4333-8444-555555555555');
    expect(t.env.SIM_REDIS_PREFIX?.startsWith(t.prefix)).toBe(true);
  });

  it('drainQueue takes what was published, waiting for the expected count', async () => {
    const t = simTestEnv();
    try {
      const later = setTimeout(() => {
        void withAmqpChannel(async (ch) => {
          await ch.assertQueue(t.dueslag);
          ch.sendToQueue(
            t.dueslag,
            Buffer.from('<BeskedId><UUIDIdentifikator>b-1</UUIDIdentifikator></BeskedId>'),
            {
              messageId: 'm-1',
              persistent: true,
            },
          );
          await ch.checkQueue(t.dueslag);
        });
      }, 200);
      const got = await drainQueue(t.dueslag, 1, 5000);
      clearTimeout(later);
      expect(got).toEqual([expect.objectContaining({ messageId: 'm-1', persistent: true })]);
      expect(got[0]?.body).toBe('<BeskedId><UUIDIdentifikator>b-1</UUIDIdentifikator></BeskedId>');
    } finally {
      await t.cleanup();
    }
  });

  /** POST over https with the given TLS options; resolves with status and body. */
  function post(url: string, body: string, tls: { ca: string; cert?: string; key?: string }) {
    return new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(url, { method: 'POST', ...tls }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  it('startPushReceiver requires a client certificate of the test PKI and scripts its answers', async () => {
    const pki = makeTestPki();
    const rx = await startPushReceiver(pki.certs, (n) => ({ status: n === 1 ? 500 : 200, body: PUSH_OK }));
    const client = { ca: pki.certs.ca, cert: pki.certs.clientCert, key: pki.certs.clientKey, agent: false };
    try {
      const first = await post(rx.url, 'a', client);
      const second = await post(rx.url, 'b', client);
      expect([first.status, second.status]).toEqual([500, 200]);
      expect(second.body).toContain('<StatusKode>20</StatusKode>');
      await expect(post(rx.url, 'c', { ca: pki.certs.ca })).rejects.toThrow();
      expect(rx.received.map((r) => r.body)).toEqual(['a', 'b']);
      expect(rx.received[0]?.clientCertSubject).toBeTruthy();
    } finally {
      await rx.close();
      pki.cleanup();
    }
  });
});
