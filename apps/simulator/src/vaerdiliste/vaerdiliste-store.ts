import type { Redis } from 'ioredis';

export type Livscyklus = 'Opstaaet' | 'Importeret' | 'Passiveret' | 'Slettet' | 'Rettet';

/** A value list of BeskedfordelerService, as the simulator keeps it. */
export interface Vaerdiliste {
  readonly uuid: string;
  readonly navn: string;
  readonly brugervendtNoegle?: string;
  readonly note?: string;
  readonly livscyklus: Livscyklus;
  /** When the current registration was made (ISO). */
  readonly fra: string;
  readonly vaerdier: readonly string[];
}

/**
 * Value lists in Redis under the simulator's own prefix:
 * `<prefix>vl:<uuid>` (hash of metadata), `<prefix>vl:<uuid>:v` (set of values),
 * `<prefix>vl:index` (set of uuids). Deleted lists keep their metadata with livscyklus Slettet.
 */
export class VaerdilisteStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private meta(uuid: string): string {
    return `${this.prefix}vl:${uuid.toLowerCase()}`;
  }
  private values(uuid: string): string {
    return `${this.meta(uuid)}:v`;
  }
  private get index(): string {
    return `${this.prefix}vl:index`;
  }

  async create(
    list: Omit<Vaerdiliste, 'fra' | 'livscyklus'> & { livscyklus?: Livscyklus },
  ): Promise<Vaerdiliste> {
    const fra = new Date().toISOString();
    const livscyklus = list.livscyklus ?? 'Opstaaet';
    const m = this.redis.multi();
    m.del(this.meta(list.uuid), this.values(list.uuid));
    m.hset(this.meta(list.uuid), {
      navn: list.navn,
      livscyklus,
      fra,
      ...(list.brugervendtNoegle !== undefined ? { brugervendtNoegle: list.brugervendtNoegle } : {}),
      ...(list.note !== undefined ? { note: list.note } : {}),
    });
    if (list.vaerdier.length > 0) m.sadd(this.values(list.uuid), ...list.vaerdier);
    m.sadd(this.index, list.uuid.toLowerCase());
    await m.exec();
    return { ...list, uuid: list.uuid.toLowerCase(), livscyklus, fra };
  }

  async exists(uuid: string): Promise<boolean> {
    const l = await this.redis.hget(this.meta(uuid), 'livscyklus');
    return l !== null && l !== 'Slettet';
  }

  async read(uuid: string): Promise<Vaerdiliste | undefined> {
    const [meta, vaerdier] = await Promise.all([
      this.redis.hgetall(this.meta(uuid)),
      this.redis.smembers(this.values(uuid)),
    ]);
    if (meta.navn === undefined || meta.livscyklus === 'Slettet') return undefined;
    return {
      uuid: uuid.toLowerCase(),
      navn: meta.navn,
      livscyklus: (meta.livscyklus ?? 'Opstaaet') as Livscyklus,
      fra: meta.fra ?? '',
      ...(meta.brugervendtNoegle !== undefined ? { brugervendtNoegle: meta.brugervendtNoegle } : {}),
      ...(meta.note !== undefined ? { note: meta.note } : {}),
      vaerdier: vaerdier.sort(),
    };
  }

  /** Replaces name and/or values (retvaerdiliste). */
  async update(
    uuid: string,
    change: { navn?: string; vaerdier?: readonly string[]; note?: string },
  ): Promise<void> {
    const m = this.redis.multi();
    m.hset(this.meta(uuid), {
      livscyklus: 'Rettet',
      fra: new Date().toISOString(),
      ...(change.navn !== undefined ? { navn: change.navn } : {}),
      ...(change.note !== undefined ? { note: change.note } : {}),
    });
    if (change.vaerdier !== undefined) {
      m.del(this.values(uuid));
      if (change.vaerdier.length > 0) m.sadd(this.values(uuid), ...change.vaerdier);
    }
    await m.exec();
  }

  async addValues(uuid: string, vaerdier: readonly string[]): Promise<void> {
    if (vaerdier.length > 0) await this.redis.sadd(this.values(uuid), ...vaerdier);
  }

  async removeValues(uuid: string, vaerdier: readonly string[]): Promise<void> {
    if (vaerdier.length > 0) await this.redis.srem(this.values(uuid), ...vaerdier);
  }

  async setLivscyklus(uuid: string, livscyklus: Livscyklus, note?: string): Promise<void> {
    await this.redis.hset(this.meta(uuid), {
      livscyklus,
      fra: new Date().toISOString(),
      ...(note !== undefined ? { note } : {}),
    });
    if (livscyklus === 'Slettet') {
      await this.redis.multi().del(this.values(uuid)).srem(this.index, uuid.toLowerCase()).exec();
    }
  }

  async list(): Promise<string[]> {
    return (await this.redis.smembers(this.index)).sort();
  }

  /** The values a CPR filter uses: empty for unknown, deleted or passive lists. */
  async activeValues(uuid: string): Promise<ReadonlySet<string>> {
    const [livscyklus, vaerdier] = await Promise.all([
      this.redis.hget(this.meta(uuid), 'livscyklus'),
      this.redis.smembers(this.values(uuid)),
    ]);
    if (livscyklus === null || livscyklus === 'Slettet' || livscyklus === 'Passiveret') return new Set();
    return new Set(vaerdier);
  }

  /** Removes every key of one list (test clean-up). */
  async purge(uuid: string): Promise<void> {
    await this.redis
      .multi()
      .del(this.meta(uuid), this.values(uuid))
      .srem(this.index, uuid.toLowerCase())
      .exec();
  }
}
