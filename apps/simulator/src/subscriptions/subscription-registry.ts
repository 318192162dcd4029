import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Subscription } from './subscription';

/** How long a simulator's listing outlives its last heartbeat (a killed process disappears then). */
const TTL_MS = 15_000;

/**
 * Where a running simulator lists its subscriptions, so `cprh sim subscriptions` can show them from
 * another process. Each simulator has a hash of its own, `<prefix>subscriptions:<instance>` (id ->
 * JSON), kept alive by a heartbeat: one simulator stopping (a `cprh sim emit` run beside
 * `pnpm start`) never removes what another one serves, and a killed one drops out after TTL_MS.
 */
export class SubscriptionRegistry {
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly instance: string = randomUUID(),
  ) {}

  private get key(): string {
    return `${this.prefix}subscriptions:${this.instance}`;
  }

  async put(sub: Subscription): Promise<void> {
    await this.redis.multi().hset(this.key, sub.id, JSON.stringify(sub)).pexpire(this.key, TTL_MS).exec();
    this.heartbeat ??= setInterval(() => {
      this.redis.pexpire(this.key, TTL_MS).catch(() => undefined);
    }, TTL_MS / 3).unref();
  }

  async remove(id: string): Promise<void> {
    await this.redis.hdel(this.key, id);
  }

  /** Stops the heartbeat and removes this simulator's listing. */
  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    await this.redis.del(this.key);
  }

  /** The subscriptions of every running simulator under the prefix. */
  async list(): Promise<Subscription[]> {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, page] = await this.redis.scan(
        cursor,
        'MATCH',
        `${escapeGlob(this.prefix)}subscriptions:*`,
        'COUNT',
        1000,
      );
      cursor = next;
      keys.push(...page);
    } while (cursor !== '0');
    const all = await Promise.all(keys.map((k) => this.redis.hvals(k)));
    return all
      .flat()
      .map((json) => {
        try {
          return JSON.parse(json) as Subscription;
        } catch {
          return undefined;
        }
      })
      .filter((s): s is Subscription => s !== undefined)
      .sort((a, b) => a.navn.localeCompare(b.navn));
  }
}

/** A key prefix as a literal inside a SCAN MATCH pattern. */
function escapeGlob(s: string): string {
  return s.replace(/[*?[\]\\]/g, '\\$&');
}
