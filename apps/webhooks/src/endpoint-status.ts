import type { RedisConnection as Redis } from '@cprh/pipeline';
import { endpointRegistryKey } from './delivery-keys';
import { DeliveryStore, type Disabled } from './delivery-store';

/** What a delivery process registers about an endpoint (never its secret). */
export interface RegisteredEndpoint {
  readonly id: string;
  /** Scheme, host, port and path only: no user info or query. */
  readonly url: string;
  readonly stream: string;
  readonly types: readonly string[];
  readonly concurrency: number;
  readonly mode: string;
  readonly seenAt: number;
}

/** One endpoint as `cprh webhooks list` and the board show it. */
export interface EndpointStatus extends RegisteredEndpoint {
  readonly state: 'enabled' | 'disabled';
  readonly disabled: Disabled | null;
  readonly backlog: number;
  /** Seconds since the oldest undelivered event entered the stream; null when none. */
  readonly oldestUndeliveredSeconds: number | null;
  readonly deadLetters: number;
}

/** The URL without credentials or query (they may hold tokens). */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

export async function registerEndpoint(
  redis: Redis,
  queuePrefix: string,
  e: RegisteredEndpoint,
): Promise<void> {
  await redis.hset(endpointRegistryKey(queuePrefix), e.id, JSON.stringify(e));
}

/** Every endpoint a delivery process registered, with its state now. */
export async function endpointStatuses(redis: Redis, queuePrefix: string): Promise<EndpointStatus[]> {
  const raw = await redis.hgetall(endpointRegistryKey(queuePrefix));
  const out: EndpointStatus[] = [];
  for (const text of Object.values(raw)) {
    let reg: RegisteredEndpoint;
    try {
      reg = JSON.parse(text) as RegisteredEndpoint;
    } catch {
      continue;
    }
    out.push(await endpointStatus(redis, queuePrefix, reg));
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

export async function endpointStatus(
  redis: Redis,
  queuePrefix: string,
  reg: RegisteredEndpoint,
): Promise<EndpointStatus> {
  const store = new DeliveryStore(redis, queuePrefix, reg.id);
  const [disabled, backlog, deadLetters] = await Promise.all([
    store.disabled(),
    store.backlog(),
    store.deadCount(),
  ]);
  return {
    ...reg,
    state: disabled === null ? 'enabled' : 'disabled',
    disabled,
    backlog: backlog.count,
    oldestUndeliveredSeconds:
      backlog.oldestMs === null ? null : Math.max(0, Math.round((Date.now() - backlog.oldestMs) / 1000)),
    deadLetters,
  };
}
