import { makeCprNumber } from './cpr-number';
import { danishData, type DanishData, type Postcode } from './danish-data';
import type { Address, Koen, Person } from './person';
import type { Prng } from './prng';

const DAY_MS = 86_400_000;

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * The synthetic population: residents (who can be born, die, move …) and emigrants (who can
 * come back). Every random choice comes from the Prng it is given, so a seed fixes everything.
 */
export class Population {
  private readonly residents: Person[] = [];
  private readonly residentIndex = new Map<string, number>();
  private readonly emigrants: Person[] = [];
  private readonly usedCpr = new Set<string>();
  readonly data: DanishData;

  constructor(
    private readonly prng: Prng,
    size: number,
    now: Date,
    data: DanishData = danishData(),
  ) {
    this.data = data;
    const nowMs = now.getTime();
    for (let i = 0; i < size; i++) {
      // Ages 0-99, a little thinner at the old end.
      const age = Math.floor(Math.pow(this.prng.next(), 1.15) * 100);
      const birthMs = nowMs - age * 365.25 * DAY_MS - this.prng.int(0, 364) * DAY_MS;
      const person = this.newPerson(isoDate(birthMs), this.randomAddress(), age >= 18);
      this.addResident(person);
    }
  }

  get residentCount(): number {
    return this.residents.length;
  }

  get emigrantCount(): number {
    return this.emigrants.length;
  }

  /** A random resident, or undefined when nobody lives here. */
  randomResident(): Person | undefined {
    return this.residents.length === 0 ? undefined : this.prng.pick(this.residents);
  }

  /** Of k random residents, the oldest (deaths skew old). */
  oldestOf(k: number): Person | undefined {
    let best: Person | undefined;
    for (let i = 0; i < k; i++) {
      const p = this.randomResident();
      if (p && (!best || p.foedselsdato < best.foedselsdato)) best = p;
    }
    return best;
  }

  /** Removes and returns a random emigrant (someone coming back), if any. */
  takeRandomEmigrant(): Person | undefined {
    if (this.emigrants.length === 0) return undefined;
    const i = this.prng.int(0, this.emigrants.length - 1);
    const person = this.emigrants[i] as Person;
    const last = this.emigrants.pop() as Person;
    if (i < this.emigrants.length) this.emigrants[i] = last;
    return person;
  }

  newPerson(foedselsdato: string, adresse: Address | null, adult: boolean, koen?: Koen): Person {
    const sex: Koen = koen ?? (this.prng.chance(0.5) ? 'M' : 'K');
    let cpr = makeCprNumber(foedselsdato, sex === 'M', this.prng);
    for (let tries = 1; this.usedCpr.has(cpr); tries++) {
      // A date's numbers run out (~1,000 per sex): after many clashes use the day before.
      if (tries % 50 === 0) foedselsdato = isoDate(Date.parse(foedselsdato) - DAY_MS);
      cpr = makeCprNumber(foedselsdato, sex === 'M', this.prng);
    }
    this.usedCpr.add(cpr);
    return {
      cpr,
      fornavn: this.prng.pick(sex === 'M' ? this.data.firstNames.male : this.data.firstNames.female),
      efternavn: this.prng.pick(this.data.surnames),
      koen: sex,
      foedselsdato,
      status: '01',
      civilstand: adult ? this.prng.pick(['U', 'G', 'G', 'F', 'E'] as const) : 'U',
      adresse,
    };
  }

  randomAddress(kommunekode?: string): Address {
    const postcodes: readonly Postcode[] =
      (kommunekode !== undefined ? this.data.postcodesByMunicipality.get(kommunekode) : undefined) ??
      this.data.postcodes;
    const pc = this.prng.pick(postcodes);
    const flat = this.prng.chance(0.4);
    return {
      vejnavn: this.prng.pick(this.data.streets),
      husnummer: String(this.prng.int(1, 150)),
      ...(flat ? { etage: String(this.prng.int(0, 5)), sidedoer: this.prng.pick(['tv', 'th', 'mf']) } : {}),
      postnummer: pc.postnummer,
      bynavn: pc.bynavn,
      kommunekode: pc.kommunekode,
    };
  }

  /** A municipality other than the given one. */
  otherMunicipality(kommunekode: string): string {
    const others = this.data.municipalities.filter((m) => m.kode !== kommunekode);
    return this.prng.pick(others).kode;
  }

  addResident(person: Person): void {
    this.residentIndex.set(person.cpr, this.residents.length);
    this.residents.push(person);
  }

  /** Replaces a resident's record (after a move, name change …). */
  updateResident(person: Person): void {
    const i = this.residentIndex.get(person.cpr);
    if (i === undefined) throw new Error('not a resident');
    this.residents[i] = person;
  }

  removeResident(cpr: string): void {
    const i = this.residentIndex.get(cpr);
    if (i === undefined) return;
    const last = this.residents.pop() as Person;
    this.residentIndex.delete(cpr);
    if (last.cpr !== cpr) {
      this.residents[i] = last;
      this.residentIndex.set(last.cpr, i);
    }
  }

  addEmigrant(person: Person): void {
    this.emigrants.push(person);
  }
}
