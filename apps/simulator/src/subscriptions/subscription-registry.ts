import type { Redis } from 'ioredis';
import type { Subscription } from './subscription';

/**
 * Where a running simulator lists its subscriptions (`<prefix>subscriptions`, a hash of
 * id -> JSON), so `cprh sim subscriptions` can show them from another process.
 */
export class SubscriptionRegistry {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private get key(): string {
    return `${this.prefix}subscriptions`;
  }

  async put(sub: Subscription): Promise<void> {
    await this.redis.hset(this.key, sub.id, JSON.stringify(sub));
  }

  async remove(id: string): Promise<void> {
    await this.redis.hdel(this.key, id);
  }

  async list(): Promise<Subscription[]> {
    const all = await this.redis.hgetall(this.key);
    return Object.values(all)
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
