import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Facts shipped in apps/simulator/data: names, streets, postcodes and the 98 municipalities. */
export interface Municipality {
  readonly kode: string; // four digits, e.g. "0101"
  readonly navn: string;
}
export interface Postcode {
  readonly postnummer: string;
  readonly bynavn: string;
  readonly kommunekode: string;
}
export interface DanishData {
  readonly firstNames: { readonly male: readonly string[]; readonly female: readonly string[] };
  readonly surnames: readonly string[];
  readonly streets: readonly string[];
  readonly postcodes: readonly Postcode[];
  readonly municipalities: readonly Municipality[];
  readonly postcodesByMunicipality: ReadonlyMap<string, readonly Postcode[]>;
}

export const DATA_DIR = join(__dirname, '..', '..', 'data');

let cached: DanishData | undefined;

function readJson<T>(name: string): T {
  return JSON.parse(readFileSync(join(DATA_DIR, name), 'utf8')) as T;
}

export function danishData(): DanishData {
  if (cached) return cached;
  const postcodes = readJson<Postcode[]>('postcodes.json');
  const byMunicipality = new Map<string, Postcode[]>();
  for (const p of postcodes) {
    const list = byMunicipality.get(p.kommunekode) ?? [];
    list.push(p);
    byMunicipality.set(p.kommunekode, list);
  }
  cached = Object.freeze({
    firstNames: readJson<{ male: string[]; female: string[] }>('first-names.json'),
    surnames: readJson<string[]>('surnames.json'),
    streets: readJson<string[]>('street-names.json'),
    postcodes,
    municipalities: readJson<Municipality[]>('municipalities.json'),
    postcodesByMunicipality: byMunicipality,
  });
  return cached;
}

/** "101" and "0101" name the same municipality. */
export function normaliseKommunekode(code: string): string {
  return code.trim().padStart(4, '0');
}
