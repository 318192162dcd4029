import { randomUUID, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { loadConfig, loadTenants } from '@cprh/config';
import { createRedis, type InboxJobData } from '@cprh/pipeline';
import { createLogger, metricsRegistry } from '@cprh/runtime';
import {
  deleteKeysAt,
  makeDevPki,
  pipelineTestEnv,
  TEST_REDIS_URL,
  type PipelineTestEnv,
} from '@cprh/testkit';
import { RECEIVER_SECTIONS, startTenantsReceiver, type RunningReceiver } from '../src';
import { expectValidAnswers, pushBody, pushClient, type PushReply } from './support/receiver-harness';

// One receiver, one port, three tenants (TENANTS_FILE): each push lands in its path's tenant's
// inbox only; a path no tenant has is answered 404 / StatusKode 40 and nothing is stored; a tenant
// with its own RECEIVER_ALLOWED_SUBJECTS answers another certificate 403 / StatusKode 40.
describe('the receiver serving three tenants on one port (real HTTPS, mutual TLS, real Redis)', () => {
  const pki = makeDevPki();
  const stranger = pki.makeClientCert('stranger', { startDays: -1, endDays: 30 });
  const devFingerprint = new X509Certificate(readFileSync(pki.files.clientCert)).fingerprint256;
  const dir = mkdtempSync(join(tmpdir(), 'cprh-tenants-'));
  const TENANTS = ['aarhus', 'odense', 'aalborg'] as const;
  let env: PipelineTestEnv;
  let rx: RunningReceiver;
  let redis: ReturnType<typeof createRedis>;
  const queues = new Map<string, { inbox: Queue<InboxJobData>; dead: Queue }>();
  const dev = pushClient(pki, { cert: pki.files.clientCert, key: pki.files.clientKey });
  const strangerClient = pushClient(pki, { cert: stranger.cert, key: stranger.key });

  const refusedCount = async (reason: string): Promise<number> => {
    const text = await metricsRegistry.getSingleMetricAsString('cprh_receiver_pushes_refused_total');
    return Number(new RegExp(`reason="${reason}"[^}]*\\} (\\d+)`).exec(text)?.[1] ?? 0);
  };
  const inboxIds = async (tenant: string): Promise<string[]> =>
    (await queues.get(tenant)!.inbox.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed']))
      .map((j) => j.id ?? '')
      .sort();

  beforeAll(async () => {
    const file = join(dir, 'tenants.json');
    writeFileSync(
      file,
      JSON.stringify({
        tenants: [
          { id: 'aarhus', cvr: '55133018', dueslag: randomUUID() },
          { id: 'odense', cvr: '35209115', dueslag: randomUUID() },
          {
            id: 'aalborg',
            cvr: '29189420',
            dueslag: randomUUID(),
            settings: { RECEIVER_ALLOWED_SUBJECTS: devFingerprint },
          },
        ],
      }),
    );
    env = pipelineTestEnv({
      TENANTS_FILE: file,
      RECEIVER_PORT: '0',
      LOG_LEVEL: 'error',
      RECEIVER_TLS_CERT_FILE: pki.files.serverCert,
      RECEIVER_TLS_KEY_FILE: pki.files.serverKey,
      RECEIVER_CLIENT_CA_FILE: pki.files.ca,
    });
    const tenants = loadTenants(RECEIVER_SECTIONS, env.env);
    const shared = loadConfig(RECEIVER_SECTIONS, env.env);
    rx = await startTenantsReceiver(tenants, shared, createLogger('receiver-test', 'error'));
    redis = createRedis(shared.redis, { maxRetriesPerRequest: 1 });
    for (const t of tenants) {
      const opts = { connection: redis, prefix: t.config.pipeline.queuePrefix };
      queues.set(t.id, {
        inbox: new Queue<InboxJobData>(t.config.pipeline.inboxQueue, opts),
        dead: new Queue(t.config.pipeline.deadQueue, opts),
      });
    }
  });
  afterAll(async () => {
    await dev.close();
    await strangerClient.close();
    await rx.stop();
    for (const q of queues.values()) await Promise.all([q.inbox.close(), q.dead.close()]);
    redis.disconnect();
    await deleteKeysAt(TEST_REDIS_URL, `{${env.prefix}:`);
    await env.cleanup();
    rmSync(dir, { recursive: true, force: true });
    pki.remove();
  });

  it('gives each tenant its own push URL under RECEIVER_PATH on the one port', () => {
    expect([...rx.urls.keys()]).toEqual([...TENANTS]);
    for (const t of TENANTS) {
      expect(rx.urls.get(t)).toBe(`https://127.0.0.1:${rx.port}/sts/beskedfordeler/ModtagBesked/${t}`);
    }
  });

  it("stores each tenant's pushes in its own inbox only", async () => {
    const sent = new Map<string, string[]>();
    const replies: PushReply[] = [];
    // Interleaved, on the same keep-alive connections: only the path tells the tenants apart.
    for (let i = 0; i < 4; i++) {
      for (const t of TENANTS) {
        const id = randomUUID();
        sent.set(t, [...(sent.get(t) ?? []), `b-${id}`]);
        replies.push(await dev.send(rx.urls.get(t)!, pushBody(id)));
      }
    }
    expect(replies.map((r) => `${r.status} ${r.statusKode}`)).toEqual(replies.map(() => '200 20'));
    for (const t of TENANTS) expect(await inboxIds(t)).toEqual(sent.get(t)!.sort());
    await expectValidAnswers(replies);
  });

  it('answers a path no tenant has 404 / StatusKode 40, stores nothing and counts it', async () => {
    const before = await Promise.all(TENANTS.map((t) => inboxIds(t)));
    const beforeRefused = await refusedCount('unknown_tenant');
    const base = new URL(rx.urls.get('aarhus')!);
    const paths = ['/sts/beskedfordeler/ModtagBesked/esbjerg', '/sts/beskedfordeler/ModtagBesked', '/other'];
    const replies: PushReply[] = [];
    for (const p of paths) replies.push(await dev.send(new URL(p, base).toString(), pushBody()));
    expect(replies.map((r) => [r.status, r.statusKode, r.fejl])).toEqual(
      paths.map(() => [404, 40, 'no such resource']),
    );
    await expectValidAnswers(replies);
    expect(await Promise.all(TENANTS.map((t) => inboxIds(t)))).toEqual(before);
    for (const t of TENANTS) expect(await queues.get(t)!.dead.count()).toBe(0);
    expect((await refusedCount('unknown_tenant')) - beforeRefused).toBe(paths.length);
  });

  it('refuses a push to a tenant restricted to another client certificate with 403 / StatusKode 40', async () => {
    const beforeRefused = await refusedCount('client_not_allowed');
    const before = await inboxIds('aalborg');
    const refused = await strangerClient.send(rx.urls.get('aalborg')!, pushBody());
    expect([refused.status, refused.statusKode]).toEqual([403, 40]);
    await expectValidAnswers([refused]);
    expect(await inboxIds('aalborg')).toEqual(before);
    expect(await queues.get('aalborg')!.dead.count()).toBe(0);
    expect((await refusedCount('client_not_allowed')) - beforeRefused).toBe(1);
    // The same certificate may push to the tenants that do not restrict it, on the same connection.
    const id = randomUUID();
    expect((await strangerClient.send(rx.urls.get('odense')!, pushBody(id))).statusKode).toBe(20);
    expect(await inboxIds('odense')).toContain(`b-${id}`);
    // And aalborg's own certificate is let in.
    expect((await dev.send(rx.urls.get('aalborg')!, pushBody())).statusKode).toBe(20);
  });

  it('labels the answers by tenant, and an unknown path by the one value "(none)"', async () => {
    const text = await metricsRegistry.getSingleMetricAsString('cprh_receiver_answers_total');
    for (const t of TENANTS) expect(text).toMatch(new RegExp(`tenant="${t}"[^}]*\\} [1-9]`));
    expect(text).toMatch(
      /^cprh_receiver_answers_total\{tenant="\(none\)",http_status="404",status_kode="40"\} 3$/m,
    );
    expect(text).toMatch(
      /^cprh_receiver_answers_total\{tenant="aalborg",http_status="403",status_kode="40"\} 1$/m,
    );
    expect(text).not.toMatch(/esbjerg|other/);
  });
});
