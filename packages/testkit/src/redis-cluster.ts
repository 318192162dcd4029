import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { repoRoot } from './fixtures';
import { waitFor } from './wait-for';

const run = promisify(execFile);
const SCRIPT = join(repoRoot, 'deploy', 'redis-cluster.sh');

export interface OwnRedisCluster {
  /** `127.0.0.1:p1,…` for REDIS_CLUSTER_NODES. */
  readonly seeds: string;
  readonly ports: readonly number[];
  /** The node that serves `key`'s slot now (asked of the cluster, so it follows a failover). */
  masterOf(key: string): Promise<number>;
  /** The replicas of the master on `port`. */
  replicasOf(port: number): Promise<number[]>;
  /** SIGKILL one node (a crash). */
  kill(port: number): Promise<void>;
  /** Starts a killed node again with its data: it rejoins (as a replica if its slots moved). */
  restart(port: number): Promise<void>;
  /** SIGSTOP one node (a hung machine: it neither answers nor replicates); `resume` continues it. */
  pause(port: number): void;
  resume(port: number): void;
  /** Kills every node and deletes its data. */
  stop(): Promise<void>;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** A base port whose 6 node ports and 6 cluster-bus ports (+10000) are all free now. */
async function freeBase(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20000 + Math.floor(Math.random() * 2000) * 10;
    const ports = [0, 1, 2, 3, 4, 5].flatMap((i) => [base + i, base + 10000 + i]);
    const free = await Promise.all(ports.map(portFree));
    if (free.every(Boolean)) return base;
  }
  throw new Error('no free range of 6 ports (+ bus ports) for a Redis Cluster');
}

async function nodeCommand(port: number, ...args: string[]): Promise<string> {
  const c = new Redis(port, '127.0.0.1', {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    disconnectTimeout: 0,
    connectTimeout: 1000,
  });
  c.on('error', () => undefined);
  try {
    await c.connect();
    return String(await c.call(args[0] ?? 'PING', ...args.slice(1)));
  } finally {
    c.disconnect();
  }
}

/** CLUSTER NODES of any live node, parsed. */
async function clusterNodes(
  ports: readonly number[],
): Promise<{ port: number; id: string; master: boolean; masterId: string; failed: boolean }[]> {
  let lastErr: unknown;
  for (const p of ports) {
    try {
      const text = await nodeCommand(p, 'CLUSTER', 'NODES');
      return text
        .trim()
        .split('\n')
        .map((line) => {
          const [id = '', addr = '', flags = '', masterId = ''] = line.split(' ');
          return {
            id,
            port: Number(addr.split('@')[0]?.split(':')[1]),
            master: flags.includes('master'),
            masterId,
            failed: flags.includes('fail'),
          };
        });
    } catch (err) {
      lastErr = err;
    }
  }
  throw lastErr instanceof Error ? lastErr : new Error('no cluster node answered');
}

/**
 * Starts a private Redis Cluster (deploy/redis-cluster.sh: 6 nodes, 3 masters with a replica each,
 * AOF on, short node timeout) on free loopback ports. Stop it in afterAll.
 */
export async function startRedisCluster(): Promise<OwnRedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'cprh-cluster-'));
  const base = await freeBase();
  const { stdout } = await run('bash', [SCRIPT, 'start', dir, String(base)], { timeout: 120000 }).catch(
    async (err: unknown) => {
      await run('bash', [SCRIPT, 'stop', dir]).catch(() => undefined);
      throw err;
    },
  );
  const seeds = stdout.trim().split('\n').pop() ?? '';
  const ports = [0, 1, 2, 3, 4, 5].map((i) => base + i);
  const alive = (): number[] => ports.filter((p) => isAlive(pidOf(dir, p)));

  const cluster: OwnRedisCluster = {
    seeds,
    ports,
    async masterOf(key) {
      const slot = Number(await nodeCommand(alive()[0] ?? base, 'CLUSTER', 'KEYSLOT', key));
      // CLUSTER SLOTS is a nested reply: read it structured.
      const c = new Redis(alive()[0] ?? base, '127.0.0.1', { lazyConnect: true, disconnectTimeout: 0 });
      c.on('error', () => undefined);
      try {
        await c.connect();
        const slots = (await c.call('CLUSTER', 'SLOTS')) as [
          number,
          number,
          [string, number, ...unknown[]],
          ...unknown[],
        ][];
        const range = slots.find(([from, to]) => slot >= from && slot <= to);
        if (!range) throw new Error(`no node serves slot ${slot}`);
        return range[2][1];
      } finally {
        c.disconnect();
      }
    },
    async replicasOf(port) {
      const nodes = await clusterNodes(alive());
      const master = nodes.find((n) => n.port === port);
      return nodes.filter((n) => !n.master && n.masterId === master?.id && !n.failed).map((n) => n.port);
    },
    async kill(port) {
      const pid = pidOf(dir, port);
      if (pid === undefined) return;
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        return;
      }
      await waitFor(`redis node ${port} gone`, () => !isAlive(pid), { timeoutMs: 5000 });
    },
    async restart(port) {
      await run('bash', [SCRIPT, 'restart', dir, String(port)], { timeout: 30000 });
    },
    pause(port) {
      const pid = pidOf(dir, port);
      if (pid !== undefined) process.kill(pid, 'SIGSTOP');
    },
    resume(port) {
      const pid = pidOf(dir, port);
      if (pid !== undefined && isAlive(pid)) process.kill(pid, 'SIGCONT');
    },
    async stop() {
      await run('bash', [SCRIPT, 'stop', dir], { timeout: 30000 });
    },
  };
  return cluster;
}

function pidOf(dir: string, port: number): number | undefined {
  try {
    return Number(readFileSync(join(dir, String(port), 'redis.pid'), 'utf8').trim());
  } catch {
    return undefined;
  }
}

function isAlive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
