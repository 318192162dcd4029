import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { loadTenants } from '@cprh/config';
import { createInboxQueue, InboxWriter } from '@cprh/pipeline';
import { createLogger, evaluateReadiness, metricsRegistry, type RunningService } from '@cprh/runtime';
import {
  deleteKeysAt,
  pipelineTestEnv,
  readFixture,
  TEST_REDIS_URL,
  waitFor,
  type PipelineTestEnv,
} from '@cprh/testkit';
import { startWorkerTenants, WORKER_SECTIONS } from '../src';

const SAMPLE = readFixture('beskeder/testbesked01.xml'); // a birth (foedsel)
const quiet = createLogger('test', 'silent');
const withBeskedId = (id: string): string => SAMPLE.replace('01157488-c45c-4fd2-b076-1de12effbf66', id);

const message = (id: string) => ({
  body: Buffer.from(withBeskedId(id)),
  source: 'urn:test:source',
  receivedAt: Date.now(),
  channel: { kind: 'push', certSubject: undefined, certFingerprint256: undefined } as const,
});

async function dispatched(tenant: string): Promise<number> {
  const m = await metricsRegistry.getSingleMetric('cprh_events_dispatched_total')?.get();
  return m?.values.find((v) => v.labels.event === 'foedsel' && v.labels.tenant === tenant)?.value ?? 0;
}

describe('worker with TENANTS_FILE (in process, real Redis)', () => {
  let t: PipelineTestEnv;
  let dir: string;
  let worker: RunningService | undefined;
  const redis = new Redis(TEST_REDIS_URL);

  beforeEach(() => {
    t = pipelineTestEnv();
    dir = mkdtempSync(join(tmpdir(), 'cprh-worker-tenants-'));
  });
  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
    await deleteKeysAt(TEST_REDIS_URL, `{${t.prefix}:`);
    await t.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });
  afterAll(() => redis.disconnect());

  function tenantsEnv(tenants: object[]): Record<string, string> {
    const file = join(dir, 'tenants.json');
    writeFileSync(file, JSON.stringify({ tenants }));
    return { ...t.env, TENANTS_FILE: file };
  }

  it("serves each tenant's inbox into its own stream, counted under its own label and readiness check", async () => {
    const env = tenantsEnv([
      { id: 'alpha', cvr: '11111111', dueslag: randomUUID() },
      { id: 'beta', cvr: '22222222', dueslag: randomUUID() },
    ]);
    const tenants = loadTenants(WORKER_SECTIONS, env);
    const sent = new Map<string, string>();
    for (const tenant of tenants) {
      const p = tenant.config.pipeline;
      const inbox = createInboxQueue(redis, p);
      const id = randomUUID();
      sent.set(tenant.id, id);
      await new InboxWriter(redis, inbox, p).persist([message(id)]);
      await inbox.close();
    }
    const before = { alpha: await dispatched('alpha'), beta: await dispatched('beta') };
    worker = await startWorkerTenants(tenants, quiet);
    for (const tenant of tenants) {
      const stream = tenant.config.pipeline.eventsStream;
      expect(stream).toBe(`${t.stream}:{${t.prefix}:${tenant.id}}`);
      await waitFor(`${tenant.id}'s event`, async () => (await redis.xlen(stream)) === 1);
      const [[, fields] = ['', []]] = await redis.xrange(stream, '-', '+');
      expect(fields[fields.indexOf('id') + 1]).toBe(sent.get(tenant.id));
    }
    expect(await redis.xlen(t.stream)).toBe(0);
    expect((await dispatched('alpha')) - before.alpha).toBe(1);
    expect((await dispatched('beta')) - before.beta).toBe(1);
    expect(await evaluateReadiness(2000)).toEqual({ ready: true });
  });

  it('a tenant that cannot start stops the start, named, and the tenants started before it are stopped', async () => {
    const env = tenantsEnv([
      { id: 'alpha', cvr: '11111111', dueslag: randomUUID() },
      // Moving dead letters to KOMBIT's error queue needs the tenant's certificate, which it lacks.
      {
        id: 'beta',
        cvr: '22222222',
        dueslag: randomUUID(),
        settings: { KOMBIT_MOVE_DEAD_TO_ERROR_QUEUE: 'true' },
      },
    ]);
    const tenants = loadTenants(WORKER_SECTIONS, env);
    await expect(startWorkerTenants(tenants, quiet)).rejects.toMatchObject({
      code: 'WORKER_TENANT_START_FAILED',
      message: expect.stringMatching(/^tenant beta: KOMBIT_CERT_NOT_CONFIGURED: /),
    });
    // alpha's share was stopped again: a message in its inbox stays there.
    const alpha = tenants[0]!.config.pipeline;
    const inbox = createInboxQueue(redis, alpha);
    await new InboxWriter(redis, inbox, alpha).persist([message(randomUUID())]);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await inbox.getWaitingCount()).toBe(1);
    expect(await redis.xlen(alpha.eventsStream)).toBe(0);
    await inbox.close();
  });

  it('shares the concurrency: a tenant alone with work takes WORKER_CONCURRENCY, two busy tenants WORKER_FAIR_CONCURRENCY each', async () => {
    const env = {
      ...tenantsEnv([
        { id: 'bulk', cvr: '11111111', dueslag: randomUUID() },
        { id: 'quiet', cvr: '22222222', dueslag: randomUUID() },
      ]),
      WORKER_CONCURRENCY: '16',
      WORKER_FAIR_CONCURRENCY: '3',
    };
    const tenants = loadTenants(WORKER_SECTIONS, env);
    const seen = new Map<string, { concurrency: number }>();
    let inFlight = 0;
    let most = 0;
    worker = await startWorkerTenants(tenants, quiet, {
      // Each job takes a while, so how many run at once is what the share allows.
      processor: async (job) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((r) => setTimeout(r, 30));
        inFlight--;
        return { eventId: job.id ?? '', entryId: '0-1', duplicate: false };
      },
      onInboxWorker: (w) => seen.set(w.opts.prefix ?? '', w),
    });
    const workers = [...seen.values()];
    expect(workers).toHaveLength(2);
    expect(workers.map((w) => w.concurrency)).toEqual([16, 16]);
    const write = async (tenant: number, n: number): Promise<void> => {
      const p = tenants[tenant]!.config.pipeline;
      const inbox = createInboxQueue(redis, p);
      await new InboxWriter(redis, inbox, p).persist(Array.from({ length: n }, () => message(randomUUID())));
      await inbox.close();
    };
    // One tenant alone with a backlog runs up to WORKER_CONCURRENCY of its jobs at once.
    await write(0, 1000);
    await waitFor('bulk alone at full concurrency', () => most >= 10, { timeoutMs: 10000 });
    expect(workers.map((w) => w.concurrency)).toEqual([16, 16]);
    // The other tenant gets work too: both are busy, each gets the fair share.
    await write(1, 200);
    await waitFor('fair share applied', () => workers.every((w) => w.concurrency === 3), {
      timeoutMs: 10000,
    });
    // Jobs taken before the change finish first (30 ms each); then count afresh.
    await new Promise((r) => setTimeout(r, 150));
    most = 0;
    await new Promise((r) => setTimeout(r, 300));
    expect(most).toBeLessThanOrEqual(6);
    expect(most).toBeGreaterThanOrEqual(2);
  });
});
