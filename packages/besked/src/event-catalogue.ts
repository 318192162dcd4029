import { BeskedError } from './besked-error';
import defaultEntries from './event-catalogue.json';
import { normalizeIdText } from './ids';

/** One known ObjektHandling: its id (UUID or URN), stable ASCII name, Danish label. */
export interface CatalogueEntry {
  id: string;
  name: string;
  label: string;
  /** True for the project's own URNs standing in for events KOMBIT's public material gives no id for. */
  simulated: boolean;
}

export interface EventCatalogue {
  lookup(handlingId: string): CatalogueEntry | undefined;
  entries(): readonly CatalogueEntry[];
}

/** The built-in catalogue (src/event-catalogue.json). */
export const DEFAULT_CATALOGUE: readonly CatalogueEntry[] = Object.freeze(
  (defaultEntries as CatalogueEntry[]).map((e) => Object.freeze({ ...e })),
);

/** The built-in entries plus `extra`; an extra entry replaces a built-in one with the same id. */
export function createCatalogue(extra: readonly CatalogueEntry[] = []): EventCatalogue {
  const byId = new Map<string, CatalogueEntry>();
  for (const e of [...DEFAULT_CATALOGUE, ...extra]) {
    byId.set(normalizeIdText(e.id), Object.freeze({ ...e, id: normalizeIdText(e.id) }));
  }
  const list = Object.freeze([...byId.values()]);
  return {
    lookup: (handlingId) => byId.get(normalizeIdText(handlingId)),
    entries: () => list,
  };
}

const NAME = /^[a-z][a-z0-9_-]*$/;

function bad(problem: string, path?: string): BeskedError {
  return new BeskedError(
    'BESKED_CATALOGUE_INVALID',
    `event catalogue: ${problem}`,
    path === undefined ? {} : { path },
  );
}

/**
 * Validates a user's catalogue file: a JSON array of `{ id, name, label, simulated? }`
 * (`simulated` defaults to false). Throws BESKED_CATALOGUE_INVALID naming the first problem.
 */
export function parseCatalogueJson(text: string): CatalogueEntry[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw bad('not valid JSON');
  }
  if (!Array.isArray(data)) throw bad('expected a JSON array of entries');
  const seen = new Set<string>();
  return data.map((raw: unknown, i): CatalogueEntry => {
    const at = `[${i}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      throw bad(`${at} is not an object`, at);
    const o = raw as Record<string, unknown>;
    for (const key of Object.keys(o)) {
      if (!['id', 'name', 'label', 'simulated'].includes(key))
        throw bad(`${at} has unknown property "${key}"`, at);
    }
    const { id, name, label, simulated } = o;
    if (typeof id !== 'string' || id.trim() === '')
      throw bad(`${at}.id must be a non-empty string`, `${at}.id`);
    if (typeof name !== 'string' || !NAME.test(name)) {
      throw bad(`${at}.name must be a lower-case ASCII key like "flytning"`, `${at}.name`);
    }
    if (typeof label !== 'string' || label.trim() === '')
      throw bad(`${at}.label must be a non-empty string`, `${at}.label`);
    if (simulated !== undefined && typeof simulated !== 'boolean')
      throw bad(`${at}.simulated must be a boolean`, `${at}.simulated`);
    const key = normalizeIdText(id);
    if (seen.has(key)) throw bad(`${at}.id repeats an earlier entry`, `${at}.id`);
    seen.add(key);
    return { id: key, name, label, simulated: simulated ?? false };
  });
}
