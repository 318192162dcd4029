import type { UnikId } from './besked-model';
import * as ns from './namespaces';
import type { XNode } from './xml-tree';

// A plain local constant: an imported binding compiles to a getter call under CJS (hot path).
const NS_SAGDOK: string = ns.NS_SAGDOK;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const CPR_URN = /^urn:oio:cpr-nr:(\d{10})$/i;

/**
 * sd:UnikIdType read from a tree (the BeskedId, a Beskedtype, an ObjektId...): the first
 * UUIDIdentifikator or URNIdentifikator with text; undefined when neither has any.
 */
export function unikId(node: XNode | undefined): UnikId | undefined {
  if (node === undefined) return undefined;
  for (const c of node.children) {
    if (c.ns !== NS_SAGDOK) continue;
    if (c.local === 'UUIDIdentifikator') {
      const value = c.text.trim();
      if (value !== '') return { kind: 'uuid', value };
    } else if (c.local === 'URNIdentifikator') {
      const value = c.text.trim();
      if (value !== '') return { kind: 'urn', value };
    }
  }
  return undefined;
}

/** The contract's "id": a UUID written lower-case, a URN exactly as given. */
export function idString(id: UnikId): string {
  return id.kind === 'uuid' ? id.value.toLowerCase() : id.value;
}

export function idOrNull(id: UnikId | undefined): string | null {
  return id === undefined ? null : idString(id);
}

/** Lookup key for a bare id string: UUID-shaped text lower-cased, anything else as given. */
export function normalizeIdText(text: string): string {
  const t = text.trim();
  return UUID.test(t) ? t.toLowerCase() : t;
}

/** The ten digits of a `urn:oio:cpr-nr:` id, else null. */
export function cprOf(id: UnikId | undefined): string | null {
  if (id === undefined || id.kind !== 'urn') return null;
  const m = CPR_URN.exec(id.value);
  return m === null ? null : m[1]!;
}

export function isCprUrn(id: UnikId | undefined): boolean {
  return id !== undefined && id.kind === 'urn' && /^urn:oio:cpr-nr:/i.test(id.value);
}
