import type { EventKind } from './event-kinds';
import type { Civilstand, Person } from './person';
import type { Population } from './population';
import type { Prng } from './prng';

/** What one event did: the person after it and the municipalities it concerns. */
export interface LifeChange {
  readonly kind: EventKind;
  readonly person: Person;
  readonly kommunekoder: string[];
}

/** The population an event changes and the random stream its choices come from. */
export interface World {
  readonly pop: Population;
  readonly prng: Prng;
}

const DAY_MS = 86_400_000;

/** Civil status after a change, by the one before (divorce twice as likely as widowhood). */
const NEXT_CIVILSTAND: Record<Civilstand, readonly Civilstand[]> = {
  U: ['G'],
  G: ['F', 'F', 'E'],
  F: ['G'],
  E: ['G'],
};

/** The person's municipality, and for a move also the one before. */
function codes(p: Person, previous?: Person): string[] {
  const out: string[] = [];
  if (p.adresse) out.push(p.adresse.kommunekode);
  const prev = previous?.adresse?.kommunekode;
  if (prev !== undefined && !out.includes(prev)) out.push(prev);
  return out;
}

function foedsel({ pop }: World, at: Date): LifeChange {
  const parent = pop.randomResident();
  const child0 = pop.newPerson(at.toISOString().slice(0, 10), parent?.adresse ?? pop.randomAddress(), false);
  const child = parent ? { ...child0, efternavn: parent.efternavn } : child0;
  pop.addResident(child);
  return { kind: 'foedsel', person: child, kommunekoder: codes(child) };
}

/** Birth date of an adult newcomer: 18 to 60 years before `at`. */
function adultBirthDate(prng: Prng, at: Date): string {
  return new Date(at.getTime() - prng.int(18, 60) * 365.25 * DAY_MS).toISOString().slice(0, 10);
}

function indrejse({ pop, prng }: World, at: Date): LifeChange {
  const returning = prng.chance(0.4) ? pop.takeRandomEmigrant() : undefined;
  const adresse = pop.randomAddress();
  const base = returning ?? pop.newPerson(adultBirthDate(prng, at), adresse, true);
  const arrived: Person = { ...base, status: '01', adresse };
  pop.addResident(arrived);
  return { kind: 'indrejse', person: arrived, kommunekoder: codes(arrived) };
}

type ResidentKind = Exclude<EventKind, 'foedsel' | 'indrejse'>;

/** Events that happen to someone already living here. */
const RESIDENT_CHANGES: Record<ResidentKind, (w: World, p: Person) => LifeChange> = {
  doedsfald: ({ pop }, p) => {
    const dead: Person = { ...p, status: '90' };
    pop.removeResident(p.cpr);
    return { kind: 'doedsfald', person: dead, kommunekoder: codes(dead) };
  },
  navneaendring: ({ pop, prng }, p) => {
    let efternavn = p.efternavn;
    while (efternavn === p.efternavn) efternavn = prng.pick(pop.data.surnames);
    const renamed: Person = { ...p, efternavn };
    pop.updateResident(renamed);
    return { kind: 'navneaendring', person: renamed, kommunekoder: codes(renamed) };
  },
  flytning: ({ pop, prng }, p) => {
    const from = p.adresse?.kommunekode ?? pop.randomAddress().kommunekode;
    const within = prng.chance(0.65);
    const moved: Person = { ...p, adresse: pop.randomAddress(within ? from : pop.otherMunicipality(from)) };
    pop.updateResident(moved);
    return { kind: 'flytning', person: moved, kommunekoder: codes(moved, p) };
  },
  civilstandsaendring: ({ pop, prng }, p) => {
    const changed: Person = { ...p, civilstand: prng.pick(NEXT_CIVILSTAND[p.civilstand]) };
    pop.updateResident(changed);
    return { kind: 'civilstandsaendring', person: changed, kommunekoder: codes(changed) };
  },
  udrejse: ({ pop }, p) => {
    const gone: Person = { ...p, status: '80', adresse: null };
    pop.removeResident(p.cpr);
    pop.addEmigrant(gone);
    return { kind: 'udrejse', person: gone, kommunekoder: codes(gone, p) };
  },
};

/** Applies one event of `kind` to the population (a death takes one of the 3 oldest). */
export function applyLifeEvent(w: World, kind: EventKind, at: Date): LifeChange {
  if (kind === 'foedsel') return foedsel(w, at);
  if (kind === 'indrejse') return indrejse(w, at);
  const subject = kind === 'doedsfald' ? w.pop.oldestOf(3) : w.pop.randomResident();
  // Nobody left to die or move: a birth keeps the stream going.
  if (subject === undefined) return foedsel(w, at);
  return RESIDENT_CHANGES[kind](w, subject);
}
