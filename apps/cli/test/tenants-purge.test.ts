import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { loadTenants } from '@cprh/config';
import { Queue } from 'bullmq';
import { partitionPipelines, streamDirectoryKey } from '@cprh/pipeline';
import { DeliveryStore } from '@cprh/webhooks';
import { deleteKeysWithPrefix, TEST_REDIS_URL, uniqueName } from '@cprh/testkit';
import { runCli } from './support/run-cli';

/**
 * `cprh tenants purge`: a municipality taken out of TENANTS_FILE goes with every key of its own,
 * and no key of another goes with it (a tenant whose id starts the same, the single deployment's).
 */
describe('cprh tenants purge (real Redis)', () => {
  const base = uniqueName('t-purge');
  const redis = new Redis(TEST_REDIS_URL);
  let dir: string;
  let env: Record<string, string>;
  const entry = (id: string, cvr: string) => ({ id, cvr, dueslag: `${base}-${id}` });
  const all = [entry('aarhus', '55133018'), entry('aarhus-nord', '35209115'), entry('odense', '29189420')];

  /** Every key of this test's names, sorted. */
  async function keys(): Promise<string[]> {
    const out: string[] = [];
    for (const match of [`{${base}:*`, `${base}:*`, `*{${base}:*`]) {
      let cursor = '0';
      do {
        const [next, found] = await redis.scan(cursor, 'MATCH', match, 'COUNT', 1000);
        cursor = next;
        out.push(...found);
      } while (cursor !== '0');
    }
    return [...new Set(out)].sort();
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cprh-purge-'));
    const write = (name: string, tenants: unknown[]) => {
      writeFileSync(join(dir, name), JSON.stringify({ tenants }));
      return join(dir, name);
    };
    const before = write('before.json', all);
    env = {
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: base,
      EVENTS_STREAM: `${base}:events`,
      ROUTES: `foedsel=${base}:events:foedsel`,
      PARTITIONS: '2',
      LOG_LEVEL: 'silent',
      // aarhus is taken out of the file: the state a supplier purges in.
      TENANTS_FILE: write('after.json', all.slice(1)),
    };
    // What each tenant's processes leave in Redis: BullMQ queues of every partition, streams and
    // their directory, webhook state.
    for (const t of loadTenants(['pipeline'], { ...env, TENANTS_FILE: before })) {
      for (const { pipeline } of partitionPipelines(t.config.pipeline)) {
        // Raw queues under the pipeline's names (the job data does not matter to a purge).
        const inbox = new Queue('inbox', { connection: redis, prefix: pipeline.queuePrefix });
        const dead = new Queue('dead', { connection: redis, prefix: pipeline.queuePrefix });
        await inbox.add('x', { n: 1 }, { jobId: 'j1' });
        await dead.add('x', { n: 2 }, { jobId: 'd1' });
        await Promise.all([inbox.close(), dead.close()]);
        for (const s of [pipeline.eventsStream, ...pipeline.routes.map((r) => r.stream)]) {
          await redis.xadd(s, '*', 'event', '{}');
          await redis.xgroup('CREATE', s, 'crm', '0');
        }
      }
      await redis.set(streamDirectoryKey(t.config.pipeline.eventsStream), 'x');
      await redis.set(`${t.config.pipeline.queuePrefix}:partitions`, '2');
      await new DeliveryStore(redis, t.config.pipeline.queuePrefix, 'sag').disable('test');
    }
    // Keys of the names' neighbours: the single-municipality layout, a tag that only looks alike.
    await redis.set(`${base}:inbox:seq`, '1');
    await redis.set(`{${base}:aarhus:px}:y`, '1');
    await redis.set(`{${base}}:x:{${base}:aarhus}`, '1');
  }, 30000);
  afterAll(async () => {
    for (const p of [`{${base}:`, `${base}:`, `{${base}}`]) await deleteKeysWithPrefix(redis, p);
    redis.disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  // The rule, as Redis hashes a key: its first `{…}` is aarhus's tag or one of its partitions'.
  const isAarhus = (k: string): boolean => {
    const tag = /^[^{]*\{([^}]+)\}/.exec(k)?.[1] ?? '';
    return tag === `${base}:aarhus` || new RegExp(`^${base}:aarhus:p\\d+$`).test(tag);
  };

  it('--dry-run counts the keys per hash tag and removes nothing', async () => {
    const before = await keys();
    const mine = before.filter(isAarhus);
    expect(mine.length).toBeGreaterThan(20);
    const r = await runCli(env, ['tenants', 'purge', 'aarhus', '--dry-run']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const out = r.stdout.toString().trim().split('\n');
    expect(out[0]).toMatch(new RegExp(`^\\{${base}:aarhus\\}: \\d+ keys$`));
    expect(out.slice(1, 3)).toEqual([
      expect.stringMatching(new RegExp(`^\\{${base}:aarhus:p0\\}: \\d+ keys$`)),
      expect.stringMatching(new RegExp(`^\\{${base}:aarhus:p1\\}: \\d+ keys$`)),
    ]);
    expect(out[3]).toBe(`aarhus: would remove ${mine.length} keys (dry run: nothing removed)`);
    expect(await keys()).toEqual(before);
  });

  it('refuses a municipality still in TENANTS_FILE, and wants --yes or --dry-run', async () => {
    const before = await keys();
    const r = await runCli(env, ['tenants', 'purge', 'odense', '--yes']);
    expect([r.code, r.stdout.toString()]).toEqual([1, '']);
    expect(r.stderr).toBe(
      'cprh tenants: CLI_TENANT_STILL_CONFIGURED: odense is still in TENANTS_FILE: remove it there and restart the processes first (they would write its keys again)\n',
    );
    const bare = await runCli(env, ['tenants', 'purge', 'aarhus']);
    expect(bare.code).toBe(2);
    expect(await keys()).toEqual(before);
  });

  it("--yes removes exactly the tenant's keys, its partitions' included", async () => {
    const before = await keys();
    const mine = before.filter(isAarhus);
    const r = await runCli(env, ['tenants', 'purge', 'aarhus', '--yes']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout.toString().trim().split('\n').at(-1)).toBe(`aarhus: removed ${mine.length} keys`);
    const after = await keys();
    expect(after).toEqual(before.filter((k) => !isAarhus(k)));
    // Every other tenant's data, and the look-alikes, are still there.
    for (const other of ['aarhus-nord', 'odense']) {
      expect(after.filter((k) => k.includes(`${base}:${other}`)).length).toBe(
        before.filter((k) => k.includes(`${base}:${other}`)).length,
      );
    }
    expect(after).toEqual(
      expect.arrayContaining([`${base}:inbox:seq`, `{${base}:aarhus:px}:y`, `{${base}}:x:{${base}:aarhus}`]),
    );
    expect(after.some((k) => k.includes(`${base}:aarhus}`) && !k.startsWith(`{${base}}`))).toBe(false);
  });
});
