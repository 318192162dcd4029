import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { startRedisServer } from '@cprh/testkit';
import { benchSettings } from './bench-settings';
import { peakRssOf } from './process-stats';

export type AofMode = 'everysec' | 'always';

/** A private redis-server for one run, with AOF on in the mode under test, and a client to it. */
export interface BenchRedis {
  readonly url: string;
  readonly aof: AofMode;
  readonly client: Redis;
  pid(): Promise<number>;
  /** used_cpu_user + used_cpu_sys of the server, in ms. */
  cpuMs(): Promise<number>;
  usedMemory(): Promise<number>;
  /** Resets the server's per-command counters (INFO commandstats). */
  resetStats(): Promise<void>;
  /** Server time per command since the last reset, µs, largest first (scripts count as evalsha). */
  commandTimes(): Promise<{ command: string; calls: number; usec: number }[]>;
  /** AOF rewrites counted so far (each forks a child that writes the whole dataset); compare two readings. */
  aofRewrites(): Promise<number>;
  /** Peak resident set of the server process, bytes (its VmHWM). */
  peakRss(): Promise<number>;
  stop(): Promise<void>;
}

function infoField(info: string, name: string): number {
  const m = new RegExp(`^${name}:([0-9.]+)`, 'm').exec(info);
  if (!m?.[1]) throw new Error(`redis INFO has no ${name}`);
  return Number(m[1]);
}

function parseCommandStats(info: string): { command: string; calls: number; usec: number }[] {
  const out: { command: string; calls: number; usec: number }[] = [];
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm)) {
    out.push({ command: m[1] ?? '', calls: Number(m[2]), usec: Number(m[3]) });
  }
  return out.sort((a, b) => b.usec - a.usec);
}

/**
 * The AOF rewrite threshold of docker-compose.yml's Redis (the compose test checks they agree):
 * every run, bare BullMQ's included, measures on the Redis the product is deployed with.
 */
export const DEPLOYMENT_AOF_REWRITE = ['--auto-aof-rewrite-min-size', '1gb'] as const;

export async function startBenchRedis(aof: AofMode): Promise<BenchRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'cprh-bench-redis-'));
  // Later arguments win: AOF on, in a folder of our own, and noeviction as the pipeline demands.
  const server = await startRedisServer([
    '--appendonly',
    'yes',
    '--appendfsync',
    aof,
    '--dir',
    dir,
    '--maxmemory-policy',
    'noeviction',
    ...DEPLOYMENT_AOF_REWRITE,
    ...benchSettings().redisArgs,
  ]);
  const client = new Redis(server.url, { maxRetriesPerRequest: 1 });
  const info = (section: string): Promise<string> => client.info(section);
  return {
    url: server.url,
    aof,
    client,
    pid: async () => infoField(await info('server'), 'process_id'),
    cpuMs: async () => {
      const i = await info('cpu');
      return (infoField(i, 'used_cpu_user') + infoField(i, 'used_cpu_sys')) * 1000;
    },
    usedMemory: async () => infoField(await info('memory'), 'used_memory'),
    resetStats: async () => {
      await client.config('RESETSTAT');
    },
    commandTimes: async () => parseCommandStats(await info('commandstats')),
    aofRewrites: async () => infoField(await info('persistence'), 'aof_rewrites'),
    peakRss: async () => peakRssOf(infoField(await info('server'), 'process_id')),
    stop: async () => {
      client.disconnect();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
