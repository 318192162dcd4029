import { loadConfig } from '@cprh/config';
import { createProducerRedis, partitionPipeline, type RedisConnection } from '@cprh/pipeline';
import { clusterTestEnv, startRedisCluster, type OwnRedisCluster, type PipelineTestEnv } from '@cprh/testkit';
import {
  LUA_SCRIPTS,
  luaScriptsInSource,
  recordingScripts,
  runEveryScript,
  sha1,
} from './support/lua-scripts';

// Every Lua script of the product on a real 6-node Redis Cluster, run through the product's code
// with the keys its layout builds for a partition: a key outside the script's slot fails here
// with CROSSSLOT (or "non local key") instead of in production.
describe('every Lua script on a Redis Cluster', () => {
  let cluster: OwnRedisCluster;
  let t: PipelineTestEnv;
  let redis: RedisConnection;

  beforeAll(async () => {
    cluster = await startRedisCluster();
  }, 120000);
  afterAll(async () => {
    redis?.disconnect();
    await t?.cleanup();
    await cluster?.stop();
  });

  it('the registry lists every script in the source, and no script builds a key name', () => {
    const registered = new Set(LUA_SCRIPTS.map((s) => s.lua));
    const found = luaScriptsInSource();
    expect(found.length).toBeGreaterThanOrEqual(LUA_SCRIPTS.length);
    const missing = found
      .filter((f) => !registered.has(f.lua))
      .map((f) => `${f.file}: ${f.lua.trim().split('\n')[0]}`);
    expect(missing).toEqual([]);
    // A key built inside (`base .. ':q:' .. slot`) would escape KEYS: no concatenation with ':'.
    // Except the dispatch's job completion: the next job's id is only known once the script popped
    // it (as in BullMQ's own scripts); its keys carry the queue's hash tag, and the run below
    // proves it stays in its slot.
    const building = LUA_SCRIPTS.filter((s) => buildsKey(s.lua)).map((s) => s.name);
    expect(building).toEqual(['dispatch (order gate, markers, streams, job completion)']);
  });

  it.each([1, 8])(
    'PARTITIONS=%i: each script runs in one slot, none fails',
    async (partitions) => {
      await t?.cleanup();
      t = clusterTestEnv(cluster, { PARTITIONS: String(partitions) });
      // A route, so the dispatch script writes two streams of the partition.
      t.env.ROUTES = `foedsel=${t.prefix}:foedsel`;
      const cfg = loadConfig(['redis', 'pipeline'], t.env);
      redis?.disconnect();
      redis = createProducerRedis(cfg.redis, 'lua-scripts-test');
      await redis.connect();
      const { conn, ran, errors } = recordingScripts(redis);
      const part = partitionPipeline(cfg.pipeline, partitions - 1);
      const failed = await runEveryScript(conn, redis, part, cfg.pipeline, cfg.redis).then(
        () => undefined,
        (err: unknown) => (err instanceof Error ? err.message : String(err)),
      );
      expect({ failed, errors }).toEqual({ failed: undefined, errors: [] });
      const notRun = LUA_SCRIPTS.filter((s) => !ran.has(sha1(s.lua))).map((s) => s.name);
      expect(notRun).toEqual([]);
    },
    60000,
  );
});

/** Whether a script passes redis.call a key it built by concatenation (directly or via a local). */
function buildsKey(lua: string): boolean {
  if (/redis\.call\(\s*'\w+'\s*,\s*[^,)]*\.\./.test(lua)) return true;
  for (const m of lua.matchAll(/local\s+(\w+)\s*=\s*[^\n]*\.\./g)) {
    if (new RegExp(`redis\\.call\\(\\s*'\\w+'\\s*,\\s*${m[1]}\\b`).test(lua)) return true;
  }
  return false;
}
