import type { SimEvent } from '../population/sim-event';
import type { CompiledFilter } from './subscription';

/** Reads the CPR numbers of a value list (BeskedfordelerService); an unknown or passive list is empty. */
export type VaerdilisteLookup = (uuid: string) => Promise<ReadonlySet<string>>;

/** True when the event passes every criterion of the filter. */
export function matchesWithoutValueList(filter: CompiledFilter, event: SimEvent): boolean {
  // Another tenant's population: never delivered to this CVR's subscription.
  if (filter.cvr !== undefined && event.cvr !== undefined && filter.cvr !== event.cvr) return false;
  if (filter.beskedtyper && !filter.beskedtyper.has(event.beskedtype)) return false;
  if (filter.haendelser && !filter.haendelser.has(event.kind)) return false;
  if (filter.kommunekoder && !event.kommunekoder.some((k) => filter.kommunekoder?.has(k))) return false;
  return true;
}

/**
 * Full match, reading the CPR value list when the filter has one. `values` lets a batch read
 * each list once.
 */
export async function matches(
  filter: CompiledFilter,
  event: SimEvent,
  lookup: VaerdilisteLookup,
  values = new Map<string, ReadonlySet<string>>(),
): Promise<boolean> {
  if (!matchesWithoutValueList(filter, event)) return false;
  if (filter.cprVaerdiliste === undefined) return true;
  let set = values.get(filter.cprVaerdiliste);
  if (set === undefined) {
    set = await lookup(filter.cprVaerdiliste);
    values.set(filter.cprVaerdiliste, set);
  }
  return set.has(event.person.cpr);
}
