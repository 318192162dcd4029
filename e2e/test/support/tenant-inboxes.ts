import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Cluster, Redis } from 'ioredis';
import { loadTenants, type Config } from '@cprh/config';
import { PartitionedInboxWriter, partitionStreams, type RedisConnection } from '@cprh/pipeline';

/**
 * What the worker's tenancy suites share (tenants-worker*, cluster-tenants): a TENANTS_FILE of
 * test tenants, each tenant's pipeline names from the product's own loadTenants, and messages
 * written into a tenant's inbox with the product's own writer, as the poller or receiver would.
 */

export interface TestTenant {
  readonly id: string;
  /** Optional extra fields of the tenant's entry (webhooksFile, routes). */
  readonly extra?: Record<string, unknown>;
}

/** A fresh folder for a test's TENANTS_FILE and the files it names (the test removes it). */
export function tenantsDir(): string {
  return mkdtempSync(join(tmpdir(), 'cprh-tenants-'));
}

/** Writes a TENANTS_FILE (JSON) for `tenants` into `dir`; each gets a CVR and a dueslag. */
export function writeTenantsFile(
  tenants: readonly TestTenant[],
  dir = tenantsDir(),
): { file: string; dir: string } {
  const file = join(dir, 'tenants.json');
  const entries = tenants.map((t, i) => ({
    id: t.id,
    cvr: String(20000000 + i),
    // Never declared on RabbitMQ: these suites write the inbox directly.
    dueslag: randomUUID(),
    ...t.extra,
  }));
  writeFileSync(file, JSON.stringify({ tenants: entries }, null, 2));
  return { file, dir };
}

/** Each tenant's pipeline settings, as every process of the deployment loads them. */
export function tenantPipelines(env: Record<string, string>): Map<string, Config['pipeline']> {
  return new Map(loadTenants(['pipeline'], env).map((t) => [t.id, t.config.pipeline]));
}

/** Every stream a tenant's events may be in: its events stream, one per partition. */
export function tenantStreams(pipeline: Config['pipeline']): string[] {
  return partitionStreams(pipeline, pipeline.eventsStream);
}

/** Writes `bodies` into the tenant's inbox (its partitions) in batches, like a poller would. */
export async function writeToInbox(
  redis: RedisConnection,
  pipeline: Config['pipeline'],
  bodies: readonly Buffer[],
  batch = 100,
): Promise<void> {
  const writer = new PartitionedInboxWriter(redis, pipeline);
  try {
    for (let i = 0; i < bodies.length; i += batch) {
      await writer.persist(
        bodies.slice(i, i + batch).map((body) => ({
          body,
          source: `urn:test:${pipeline.tenant ?? 'default'}`,
          receivedAt: Date.now(),
          channel: { kind: 'push', certSubject: undefined, certFingerprint256: undefined },
        })),
      );
    }
  } finally {
    await writer.close();
  }
}

/** Total entries of a tenant's streams. */
export async function tenantDelivered(redis: Redis | Cluster, pipeline: Config['pipeline']): Promise<number> {
  const lens = await Promise.all(tenantStreams(pipeline).map((s) => redis.xlen(s)));
  return lens.reduce((a, b) => a + b, 0);
}
