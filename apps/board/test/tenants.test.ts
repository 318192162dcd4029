import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { loadConfig, loadTenants } from '@cprh/config';
import { createInboxQueue } from '@cprh/pipeline';
import { endpointRegistryKey } from '@cprh/webhooks';
import { deleteKeysWithPrefix, TEST_REDIS_URL, uniqueName, waitFor } from '@cprh/testkit';
import { boardTenants, startBoard, BOARD_SECTIONS, type RunningBoard } from '../src';

interface ApiQueue {
  name: string;
  delimiter?: string;
  counts: Record<string, number>;
}

/**
 * The board with a three-municipality TENANTS_FILE: each municipality's queues are a group of their
 * own in Bull Board (its API lists `aarhus.inbox`, … with the delimiter the UI groups by), the queue
 * metrics carry `tenant`, and /webhooks lists each one's endpoints under it.
 */
describe('the board with TENANTS_FILE (real Redis)', () => {
  const base = uniqueName('t-board-ten');
  const redis = new Redis(TEST_REDIS_URL);
  const ids = ['aarhus', 'odense', 'aalborg'];
  let dir: string;
  let env: Record<string, string>;
  const boards: RunningBoard[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cprh-board-tenants-'));
    writeFileSync(
      join(dir, 'tenants.yaml'),
      [
        'tenants:',
        ...ids.flatMap((id, i) => [
          `  - id: ${id}`,
          ...(id === 'odense' ? ['    name: Odense Kommune'] : []),
          `    cvr: "${35209115 + i}"`,
          `    dueslag: ${base}-${id}`,
        ]),
      ].join('\n'),
    );
    env = {
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: base,
      EVENTS_STREAM: `${base}:events`,
      TENANTS_FILE: join(dir, 'tenants.yaml'),
      BOARD_PORT: '0',
      LOG_LEVEL: 'silent',
    };
  });
  afterEach(async () => {
    await Promise.all(boards.splice(0).map((b) => b.close()));
  });
  afterAll(async () => {
    await deleteKeysWithPrefix(redis, `{${base}:`);
    await deleteKeysWithPrefix(redis, `${base}:`);
    redis.disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(extra: Record<string, string> = {}): Promise<RunningBoard> {
    const e = { ...env, ...extra };
    const tenants = boardTenants(loadTenants(BOARD_SECTIONS, e));
    expect(tenants?.map((t) => t.id)).toEqual(ids);
    const b = await startBoard(loadConfig(BOARD_SECTIONS, e), { tenants: tenants ?? [] });
    boards.push(b);
    // Its Redis connection has no offline queue: wait until it is up.
    await waitFor('the board ready', async () => (await fetch(`${b.url}readyz`)).status === 200);
    return b;
  }
  const apiQueues = async (url: string): Promise<ApiQueue[]> =>
    ((await (await fetch(`${url}api/queues`)).json()) as { queues: ApiQueue[] }).queues;

  it("groups each municipality's queues and counts its own jobs only", async () => {
    const odense = loadTenants(['pipeline'], env).find((t) => t.id === 'odense');
    const inbox = createInboxQueue(redis, odense!.config.pipeline);
    await inbox.add('x', { n: 1 } as never, { jobId: 'a', delay: 3_600_000 });
    await inbox.add('x', { n: 2 } as never, { jobId: 'b', delay: 3_600_000 });
    await inbox.close();

    const b = await start();
    const queues = await apiQueues(b.url);
    expect(queues.map((q) => [q.name, q.delimiter]).sort()).toEqual(
      ids
        .flatMap((id) => [`${id}.inbox`, `${id}.dead`])
        .map((n) => [n, '.'])
        .sort(),
    );
    const delayed = (name: string) => queues.find((q) => q.name === name)?.counts.delayed;
    expect([delayed('odense.inbox'), delayed('aarhus.inbox'), delayed('aalborg.inbox')]).toEqual([2, 0, 0]);

    const metrics = await (await fetch(`${b.url}metrics`)).text();
    expect(metrics).toContain('cprh_queue_jobs{queue="inbox",state="delayed",tenant="odense"} 2');
    expect(metrics).toContain('cprh_queue_jobs{queue="inbox",state="delayed",tenant="aarhus"} 0');
    expect(metrics).toContain(
      `cprh_events_stream_length{stream="${base}:events:{${base}:aalborg}",tenant="aalborg"} 0`,
    );
    expect(metrics).not.toMatch(/tenant="default"/);
  });

  it('with partitions: the partitions inside the municipality group', async () => {
    const b = await start({ PARTITIONS: '2' });
    const names = (await apiQueues(b.url)).map((q) => q.name);
    expect(names.filter((n) => n.startsWith('aarhus.')).sort()).toEqual([
      'aarhus.p0-dead',
      'aarhus.p0-inbox',
      'aarhus.p1-dead',
      'aarhus.p1-inbox',
    ]);
    expect(names).toHaveLength(12);
  });

  it('/webhooks lists each municipality under its id', async () => {
    const [aarhus] = loadTenants(['pipeline'], env);
    await redis.hset(
      endpointRegistryKey(aarhus!.config.pipeline.queuePrefix),
      'sag',
      JSON.stringify({
        id: 'sag',
        url: 'https://sag.example/hook',
        stream: 'x',
        types: [],
        concurrency: 8,
        mode: 'structured',
        seenAt: Date.now(),
      }),
    );
    const b = await start();
    const json = (await (await fetch(`${b.url}webhooks?format=json`)).json()) as {
      tenant: string;
      name: string | null;
      endpoints: { id: string }[];
    }[];
    expect(json.map((t) => [t.tenant, t.name, t.endpoints.map((e) => e.id)])).toEqual([
      ['aarhus', null, ['sag']],
      ['odense', 'Odense Kommune', []],
      ['aalborg', null, []],
    ]);
    const one = (await (await fetch(`${b.url}webhooks?format=json&tenant=odense`)).json()) as {
      tenant: string;
    }[];
    expect(one.map((t) => t.tenant)).toEqual(['odense']);
    const html = await (await fetch(`${b.url}webhooks`)).text();
    expect(html).toContain('<h2 id="odense">odense (Odense Kommune)</h2>');
    expect(html).toContain('cprh --tenant ID webhooks dead ID');
  });

  it('the board process loads the municipalities itself (runAsTenantsProcess)', async () => {
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', 'apps/board/src/main.ts'], {
      cwd: join(__dirname, '..', '..', '..'),
      env: { PATH: process.env.PATH ?? '', ...env, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      let url = '';
      await waitFor(
        'the board URL',
        () => {
          url = /"url":"([^"]+)"/.exec(out)?.[1] ?? '';
          return url !== '';
        },
        { timeoutMs: 30_000 },
      );
      expect(out).toContain('"tenants":["aarhus","odense","aalborg"]');
      const names = (await apiQueues(url)).map((q) => q.name).sort();
      expect(names).toEqual(ids.flatMap((id) => [`${id}.dead`, `${id}.inbox`]).sort());
      child.kill('SIGTERM');
      expect((await once(child, 'exit'))[0]).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
