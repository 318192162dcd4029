import type { Cluster, Redis } from 'ioredis';

/** XGROUP CREATE ... MKSTREAM; a group that already exists (BUSYGROUP) is left as it is. */
export async function ensureGroup(
  redis: Redis | Cluster,
  stream: string,
  group: string,
  from: '0' | '$',
): Promise<void> {
  try {
    await redis.xgroup('CREATE', stream, group, from, 'MKSTREAM');
  } catch (err) {
    if (err instanceof Error && err.message.startsWith('BUSYGROUP')) return;
    throw err;
  }
}
