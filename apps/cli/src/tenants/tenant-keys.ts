import { Cluster, type Redis } from 'ioredis';
import { hashTag, type RedisConnection } from '@cprh/pipeline';

/** A municipality's keys, by hash tag: `{<base>:<id>}` and each partition's `{<base>:<id>:p<n>}`. */
export interface TenantKeys {
  readonly tag: string;
  /** Keys by hash tag (the tenant's own tag first, then partition tags in order). */
  readonly byTag: ReadonlyMap<string, readonly string[]>;
  readonly total: number;
}

/** The hash tag of tenant `id` under QUEUE_PREFIX `queuePrefix` (braces dropped): `cprh:aarhus`. */
export function tenantTag(queuePrefix: string, id: string): string {
  return `${queuePrefix.replace(/[{}]/g, '')}:${id}`;
}

/**
 * Whether `key` belongs to the tenant whose tag is `tag`: its hash tag (the one Redis hashes,
 * between the first `{` and the next `}`) is the tenant's, or one of the tenant's partitions'.
 * Nothing else decides, so a key of another tenant (`{cprh:aarhus-nord}`) never matches.
 */
export function isTenantKey(key: string, tag: string): boolean {
  const own = hashTag(key);
  if (own === undefined) return false;
  if (own === tag) return true;
  return own.startsWith(`${tag}:p`) && /^\d+$/.test(own.slice(tag.length + 2));
}

/** Every key of the tenant, found with SCAN on each master (one Redis, or every master of a Cluster). */
export async function findTenantKeys(redis: RedisConnection, tag: string): Promise<TenantKeys> {
  const nodes: Redis[] = redis instanceof Cluster ? redis.nodes('master') : [redis];
  // Glob-escaped: the tag comes from QUEUE_PREFIX, which may hold `*`, `?`, `[` or `\`.
  const match = `*{${tag.replace(/[*?[\]\\]/g, '\\$&')}*`;
  const found = new Set<string>();
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', match, 'COUNT', 1000);
      cursor = next;
      for (const k of keys) if (isTenantKey(k, tag)) found.add(k);
    } while (cursor !== '0');
  }
  const byTag = new Map<string, string[]>();
  for (const key of [...found].sort()) {
    const t = hashTag(key) ?? '';
    byTag.set(t, [...(byTag.get(t) ?? []), key]);
  }
  const order = (t: string): number => (t === tag ? -1 : Number(t.slice(tag.length + 2)));
  const sorted = new Map([...byTag.entries()].sort(([a], [b]) => order(a) - order(b)));
  return { tag, byTag: sorted, total: found.size };
}

/**
 * Removes the keys found (UNLINK: freed in the background). Keys of one tag share a Cluster slot,
 * so each batch is one command to one node. Returns how many Redis removed.
 */
export async function removeTenantKeys(redis: RedisConnection, keys: TenantKeys): Promise<number> {
  let removed = 0;
  for (const list of keys.byTag.values()) {
    for (let i = 0; i < list.length; i += 500) {
      removed += await redis.unlink(...list.slice(i, i + 500));
    }
  }
  return removed;
}
