import { z } from 'zod';
import { defineSection } from './define-section';
import { nonNegativeInt, positiveInt, urlWithScheme } from './common-types';

/** One seed node of a Redis Cluster. */
export interface ClusterNodeAddress {
  readonly host: string;
  readonly port: number;
}

/** REDIS_CLUSTER_NODES: `host:port,host:port,…` (IPv6 as `[::1]:7000`); empty = a single Redis. */
const clusterNodes = z
  .string()
  .default('')
  .transform((text, ctx): ClusterNodeAddress[] => {
    const out: ClusterNodeAddress[] = [];
    for (const part of text.split(',').map((p) => p.trim())) {
      if (part === '') continue;
      const m = /^(\[[^\]]+\]|[^:\s[\]]+):(\d{1,5})$/.exec(part);
      const port = Number(m?.[2]);
      if (!m || !(port > 0 && port < 65536)) {
        ctx.addIssue({ code: 'custom', message: `expected host:port, got "${part}"` });
        return z.NEVER;
      }
      out.push({ host: (m[1] ?? '').replace(/^\[|\]$/g, ''), port });
    }
    return out;
  });

export const redisSettings = defineSection({
  env: {
    REDIS_URL: urlWithScheme('redis', 'rediss').default('redis://127.0.0.1:6379'),
    /** Seed nodes of a Redis Cluster; when set every process uses the cluster (credentials and TLS from REDIS_URL). */
    REDIS_CLUSTER_NODES: clusterNodes,
    /** Replicas that must confirm the inbox write (WAIT) before a message is acked upstream. */
    REDIS_MIN_REPLICAS_ACK: nonNegativeInt.optional(),
    /** How long WAIT waits for those replicas; below the connections' 10 s command timeout. */
    REDIS_WAIT_TIMEOUT_MS: positiveInt.max(8000, 'must be <= 8000').default(2000),
  },
  // The URL may carry the password (redis://:password@host:6379).
  secrets: ['REDIS_URL'],
  build: (e) => ({
    url: e.REDIS_URL,
    clusterNodes: e.REDIS_CLUSTER_NODES,
    /** 1 on a cluster (a failover must not lose an acked message), 0 on a single Redis. */
    minReplicasAck: e.REDIS_MIN_REPLICAS_ACK ?? (e.REDIS_CLUSTER_NODES.length > 0 ? 1 : 0),
    waitTimeoutMs: e.REDIS_WAIT_TIMEOUT_MS,
  }),
});
