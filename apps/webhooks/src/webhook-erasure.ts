import type { ErasedFamily, RedisConnection as Redis } from '@cprh/pipeline';
import { endpointRegistryKey } from './delivery-keys';
import { DeliveryStore } from './delivery-store';
import { cprPersonKey, personSlot } from './person-key';

/**
 * `cprh erase` for the webhooks: in every endpoint a delivery process registered, the persons'
 * queued events (their stream entries are erased too), retry state and dead letters. What stays
 * is per endpoint, not per person: the accepted event ids (no person) and the endpoint's state.
 */
export async function eraseWebhookState(
  redis: Redis,
  queuePrefix: string,
  cprs: ReadonlySet<string>,
  dryRun = false,
): Promise<ErasedFamily[]> {
  const out: ErasedFamily[] = [];
  for (const id of (await redis.hkeys(endpointRegistryKey(queuePrefix))).sort()) {
    const store = new DeliveryStore(redis, queuePrefix, id);
    const family: ErasedFamily = { family: `webhooks ${id}`, removed: [], beskedIds: [] };
    for (const cpr of cprs) {
      const r = await store.erasePerson(personSlot(cprPersonKey(cpr)), dryRun);
      family.removed.push(...r.queued, ...r.dead);
    }
    family.beskedIds.push(...family.removed);
    out.push(family);
  }
  return out;
}
