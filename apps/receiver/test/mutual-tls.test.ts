import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { makeDevPki } from '@cprh/testkit';
import { pushBody, pushClient, startTestReceiver, type ReceiverUnderTest } from './support/receiver-harness';

describe('mutual TLS: who may push', () => {
  const pki = makeDevPki();
  const otherCa = makeDevPki('87654321');
  const clientCert = pki.path('client.crt');
  const clientKey = pki.path('client.key');
  const receivers: ReceiverUnderTest[] = [];
  const clients: ReturnType<typeof pushClient>[] = [];
  const client = (opts: Parameters<typeof pushClient>[1]) => {
    const c = pushClient(pki, opts);
    clients.push(c);
    return c;
  };
  const receiver = async (env: Record<string, string> = {}) => {
    const r = await startTestReceiver(pki, env);
    receivers.push(r);
    return r;
  };

  afterAll(async () => {
    for (const c of clients) await c.close();
    for (const r of receivers) await r.stop();
    pki.remove();
    otherCa.remove();
  });

  it('accepts a client certificate of RECEIVER_CLIENT_CA_FILE and refuses the handshake without one or from another CA', async () => {
    const rx = await receiver();
    const ok = await client({ cert: clientCert, key: clientKey }).send(rx.url, pushBody());
    expect(ok.statusKode).toBe(20);
    await expect(client({}).send(rx.url, pushBody())).rejects.toThrow();
    const foreign = client({ cert: otherCa.path('client.crt'), key: otherCa.path('client.key') });
    await expect(foreign.send(rx.url, pushBody())).rejects.toThrow();
    // Only the one accepted push reached the inbox.
    expect(await rx.inboxJobs()).toHaveLength(1);
  });

  it('with RECEIVER_ALLOWED_SUBJECTS, lets only the listed CNs or SHA-256 fingerprints in', async () => {
    const stranger = pki.makeClientCert('stranger', { startDays: -1, endDays: 30 });
    const fingerprint = new X509Certificate(readFileSync(clientCert)).fingerprint256;
    const open = await receiver();
    const byCn = await receiver({ RECEIVER_ALLOWED_SUBJECTS: 'someone, cprh dev (funktionscertifikat)' });
    const byPrint = await receiver({ RECEIVER_ALLOWED_SUBJECTS: fingerprint.toLowerCase() });
    const devClient = client({ cert: clientCert, key: clientKey });
    const strangerClient = client({ cert: stranger.cert, key: stranger.key });
    // Without a list the stranger (same CA) may push: only the list keeps it out below.
    expect((await strangerClient.send(open.url, pushBody())).statusKode).toBe(20);
    expect((await devClient.send(byCn.url, pushBody())).statusKode).toBe(20);
    expect((await devClient.send(byPrint.url, pushBody())).statusKode).toBe(20);
    await expect(strangerClient.send(byCn.url, pushBody())).rejects.toThrow();
    await expect(strangerClient.send(byPrint.url, pushBody())).rejects.toThrow();
    expect((await byCn.inboxJobs()).length + (await byPrint.inboxJobs()).length).toBe(2);
  });
});
