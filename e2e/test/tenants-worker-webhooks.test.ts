import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import {
  appMain,
  deleteKeysAt,
  pipelineTestEnv,
  TEST_REDIS_URL,
  waitFor,
  type PipelineTestEnv,
} from '@cprh/testkit';
import { freshMessages, WORKER_MAIN } from './support/pipeline-harness';
import { ProcessSet } from './support/person-order';
import { tenantPipelines, tenantsDir, writeTenantsFile, writeToInbox } from './support/tenant-inboxes';
import { startWebhookEndpoint, type WebhookEndpoint } from './support/webhook-endpoint';

const WEBHOOKS_MAIN = appMain('webhooks');
const PER_TENANT = 6;

// The worker and the webhook process, each one process for two tenants with their own webhooksFile.
describe('webhooks with TENANTS_FILE', () => {
  let t: PipelineTestEnv | undefined;
  let redis: Redis | undefined;
  let dir: string | undefined;
  const endpoints: WebhookEndpoint[] = [];
  const procs = new ProcessSet(() => ({}));

  afterEach(async () => {
    await procs.killAll();
    for (const e of endpoints.splice(0)) e.close();
    redis?.disconnect();
    if (t) await deleteKeysAt(TEST_REDIS_URL, `{${t.prefix}:`);
    await t?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("each tenant's endpoint gets its own tenant's events, and only those, counted under its tenant", async () => {
    const ids = ['east', 'west'];
    const eps = new Map<string, WebhookEndpoint>();
    for (const id of ids) {
      const e = await startWebhookEndpoint();
      endpoints.push(e);
      eps.set(id, e);
    }
    // The two tenants name their endpoint alike: its delivery state must still be apart.
    dir = tenantsDir();
    const entries = ids.map((id) => {
      const file = join(dir!, `${id}-webhooks.json`);
      eps.get(id)!.writeWebhooksFile(file);
      return { id, extra: { webhooksFile: file } };
    });
    const tenantsFile = writeTenantsFile(entries, dir);
    t = pipelineTestEnv({ WEBHOOKS_POLL_MS: '50' });
    const env = { ...t.env, TENANTS_FILE: tenantsFile.file, LOG_LEVEL: 'info' };
    const conn = new Redis(TEST_REDIS_URL);
    redis = conn;
    const pipelines = tenantPipelines(env);
    const sent = new Map<string, string[]>();
    for (const id of ids) {
      const m = freshMessages(PER_TENANT);
      sent.set(id, m.ids);
      await writeToInbox(conn, pipelines.get(id)!, m.bodies);
    }

    const worker = procs.start(WORKER_MAIN, { ...env, METRICS_PORT: '0' });
    const webhooks = procs.start(WEBHOOKS_MAIN, { ...env, METRICS_PORT: '0' });
    await worker.waitForLine(/worker ready/, 60000);
    await webhooks.waitForLine(/webhooks ready/, 60000);
    const metricsOf = async (p: typeof worker): Promise<string> => {
      const url = /"metricsUrl":"([^"]+)"/.exec(await p.waitForLine(/"metricsUrl"/))?.[1] ?? '';
      return (await fetch(`${url}metrics`)).text();
    };
    await waitFor(
      'every event at its endpoint',
      () => [...eps.values()].every((e) => e.got.length >= PER_TENANT),
      { timeoutMs: 60000 },
    );
    // Anything that would go astray has had time to arrive.
    await new Promise((r) => setTimeout(r, 1500));
    // Each process's metrics count each tenant apart.
    const [workerMetrics, webhookMetrics] = await Promise.all([metricsOf(worker), metricsOf(webhooks)]);
    for (const id of ids) {
      expect(workerMetrics).toMatch(
        new RegExp(`^cprh_events_dispatched_total\\{event="foedsel",tenant="${id}"\\} ${PER_TENANT}$`, 'm'),
      );
      expect(webhookMetrics).toMatch(
        new RegExp(`^cprh_webhook_delivered_total\\{endpoint="sag",tenant="${id}"\\} ${PER_TENANT}$`, 'm'),
      );
    }
    expect(await webhooks.stop('SIGTERM')).toBe(0);
    expect(await worker.stop('SIGTERM')).toBe(0);

    for (const id of ids) {
      // Signed with this tenant's secret, so a verify that throws would also catch a stray.
      const got = eps.get(id)!.verifiedIds();
      expect({ id, got: got.sort() }).toEqual({ id, got: [...sent.get(id)!].sort() });
      // Its delivery state is under its own prefix.
      const registry = await conn.hkeys(`${pipelines.get(id)!.queuePrefix}:webhooks:endpoints`);
      expect(registry).toEqual(['sag']);
    }
  }, 180000);
});
