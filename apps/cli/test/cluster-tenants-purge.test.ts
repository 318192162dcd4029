import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster } from 'ioredis';
import { loadTenants } from '@cprh/config';
import { partitionPipelines } from '@cprh/pipeline';
import { startRedisCluster, uniqueName, type OwnRedisCluster } from '@cprh/testkit';
import { runCli } from './support/run-cli';

/**
 * `cprh tenants purge` on a Redis Cluster: a municipality's partitions hash to different slots, so
 * its keys lie on several masters; every one of them goes, and nothing of another municipality.
 */
describe('cprh tenants purge on a Redis Cluster', () => {
  let cluster: OwnRedisCluster;
  let redis: Cluster;
  let dir: string;
  const base = uniqueName('t-cpurge');

  beforeAll(async () => {
    cluster = await startRedisCluster();
    redis = new Cluster(
      cluster.seeds.split(',').map((s) => ({ host: '127.0.0.1', port: Number(s.split(':')[1]) })),
    );
    dir = mkdtempSync(join(tmpdir(), 'cprh-cpurge-'));
  }, 120000);
  afterAll(async () => {
    redis?.disconnect();
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Every key on every master. */
  async function allKeys(): Promise<string[]> {
    const out: string[] = [];
    for (const node of redis.nodes('master')) out.push(...(await node.keys('*')));
    return out.sort();
  }

  it("removes the tenant's keys from every master and leaves the others'", async () => {
    const tenants = [
      { id: 'aarhus', cvr: '55133018', dueslag: `${base}-aarhus` },
      { id: 'odense', cvr: '35209115', dueslag: `${base}-odense` },
    ];
    writeFileSync(join(dir, 'before.json'), JSON.stringify({ tenants }));
    writeFileSync(join(dir, 'after.json'), JSON.stringify({ tenants: tenants.slice(1) }));
    const env = {
      REDIS_URL: 'redis://127.0.0.1:1',
      REDIS_CLUSTER_NODES: cluster.seeds,
      QUEUE_PREFIX: base,
      EVENTS_STREAM: `${base}:events`,
      PARTITIONS: '4',
      LOG_LEVEL: 'silent',
      TENANTS_FILE: join(dir, 'after.json'),
    };
    for (const t of loadTenants(['pipeline'], { ...env, TENANTS_FILE: join(dir, 'before.json') })) {
      for (const { pipeline } of partitionPipelines(t.config.pipeline)) {
        await redis.set(`${pipeline.queuePrefix}:inbox:seq`, '1');
        await redis.xadd(pipeline.eventsStream, '*', 'event', '{}');
      }
      await redis.set(`${t.config.pipeline.queuePrefix}:partitions`, '4');
    }
    const before = await allKeys();
    const aarhus = before.filter((k) => k.includes(`{${base}:aarhus`));
    expect(aarhus).toHaveLength(9);
    // The point of the test: the tenant's keys are spread over more than one master.
    const masters = new Set(await Promise.all(aarhus.map((k) => cluster.masterOf(k))));
    expect(masters.size).toBeGreaterThan(1);

    const r = await runCli(env, ['tenants', 'purge', 'aarhus', '--yes']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout.toString().trim().split('\n').at(-1)).toBe('aarhus: removed 9 keys');
    expect(await allKeys()).toEqual(before.filter((k) => !aarhus.includes(k)));
    expect((await allKeys()).filter((k) => k.includes(`{${base}:odense`))).toHaveLength(9);
  });
});
