import { EVENT_KINDS, YEARLY_RATE_PER_PERSON, type EventKind } from './event-kinds';
import type { Civilstand, Person } from './person';
import { Population } from './population';
import { Prng } from './prng';
import type { SimEvent } from './sim-event';
import { DEFAULT_BESKEDTYPE } from './event-kinds';

export interface EventGeneratorOptions {
  /** Same seed (and same other options) -> same population and same events. */
  readonly seed: number;
  /** People in the population; a mid-size municipality is ~60,000. */
  readonly populationSize?: number;
  /** Time of the first event; later events follow `stepMs` apart unless `at` is given. */
  readonly start: Date;
  readonly stepMs?: number;
  readonly beskedtype?: string;
}

const DAY_MS = 86_400_000;

/** Produces a reproducible stream of CPR events over a synthetic population. */
export class EventGenerator {
  private readonly prng: Prng;
  readonly population: Population;
  private seq = 0;
  private readonly startMs: number;
  private readonly stepMs: number;
  private readonly beskedtype: string;

  constructor(options: EventGeneratorOptions) {
    // Two streams: the population's size must not shift the events' ids.
    this.population = new Population(new Prng(options.seed), options.populationSize ?? 10_000, options.start);
    this.prng = new Prng(options.seed ^ 0x5eed5eed);
    this.startMs = options.start.getTime();
    this.stepMs = options.stepMs ?? 1000;
    this.beskedtype = (options.beskedtype ?? DEFAULT_BESKEDTYPE).toLowerCase();
  }

  /** The next event; kind drawn by the Danish yearly mix unless given. */
  next(opts: { kind?: EventKind; at?: Date; beskedtype?: string } = {}): SimEvent {
    const kind = opts.kind ?? this.prng.weighted(YEARLY_RATE_PER_PERSON);
    const at = opts.at ?? new Date(this.startMs + this.seq * this.stepMs);
    const change = this.apply(kind, at);
    const event: SimEvent = {
      seq: this.seq++,
      kind: change.kind,
      person: change.person,
      kommunekoder: change.kommunekoder,
      tidspunkt: at,
      beskedtype: (opts.beskedtype ?? this.beskedtype).toLowerCase(),
      beskedId: this.prng.uuid(),
      transaktionsId: this.prng.uuid(),
      registreringId: this.prng.uuid(),
    };
    return event;
  }

  take(n: number, opts: { kind?: EventKind; beskedtype?: string } = {}): SimEvent[] {
    const out: SimEvent[] = [];
    for (let i = 0; i < n; i++) out.push(this.next(opts));
    return out;
  }

  private apply(kind: EventKind, at: Date): { kind: EventKind; person: Person; kommunekoder: string[] } {
    const pop = this.population;
    const subject =
      kind === 'foedsel' || kind === 'indrejse'
        ? undefined
        : kind === 'doedsfald'
          ? pop.oldestOf(3)
          : pop.randomResident();
    if (subject === undefined && kind !== 'foedsel' && kind !== 'indrejse') {
      // Nobody left to die or move: a birth keeps the stream going.
      return this.apply('foedsel', at);
    }
    const codes = (p: Person, previous?: Person): string[] => {
      const out: string[] = [];
      if (p.adresse) out.push(p.adresse.kommunekode);
      const prev = previous?.adresse?.kommunekode;
      if (prev !== undefined && !out.includes(prev)) out.push(prev);
      return out;
    };
    switch (kind) {
      case 'foedsel': {
        const parent = pop.randomResident();
        const child0 = pop.newPerson(
          at.toISOString().slice(0, 10),
          parent?.adresse ?? pop.randomAddress(),
          false,
        );
        const child = parent ? { ...child0, efternavn: parent.efternavn } : child0;
        pop.addResident(child);
        return { kind, person: child, kommunekoder: codes(child) };
      }
      case 'doedsfald': {
        const p = subject as Person;
        const dead: Person = { ...p, status: '90' };
        pop.removeResident(p.cpr);
        return { kind, person: dead, kommunekoder: codes(dead) };
      }
      case 'navneaendring': {
        const p = subject as Person;
        let efternavn = p.efternavn;
        while (efternavn === p.efternavn) efternavn = this.prng.pick(pop.data.surnames);
        const renamed: Person = { ...p, efternavn };
        pop.updateResident(renamed);
        return { kind, person: renamed, kommunekoder: codes(renamed) };
      }
      case 'flytning': {
        const p = subject as Person;
        const from = p.adresse?.kommunekode ?? pop.randomAddress().kommunekode;
        const within = this.prng.chance(0.65);
        const moved: Person = {
          ...p,
          adresse: pop.randomAddress(within ? from : pop.otherMunicipality(from)),
        };
        pop.updateResident(moved);
        return { kind, person: moved, kommunekoder: codes(moved, p) };
      }
      case 'civilstandsaendring': {
        const p = subject as Person;
        const next: Record<Civilstand, readonly Civilstand[]> = {
          U: ['G'],
          G: ['F', 'F', 'E'],
          F: ['G'],
          E: ['G'],
        };
        const changed: Person = { ...p, civilstand: this.prng.pick(next[p.civilstand]) };
        pop.updateResident(changed);
        return { kind, person: changed, kommunekoder: codes(changed) };
      }
      case 'udrejse': {
        const p = subject as Person;
        const gone: Person = { ...p, status: '80', adresse: null };
        pop.removeResident(p.cpr);
        pop.addEmigrant(gone);
        return { kind, person: gone, kommunekoder: codes(gone, p) };
      }
      case 'indrejse': {
        const returning = this.prng.chance(0.4) ? pop.takeRandomEmigrant() : undefined;
        const adresse = pop.randomAddress();
        const base =
          returning ??
          pop.newPerson(
            new Date(at.getTime() - this.prng.int(18, 60) * 365.25 * DAY_MS).toISOString().slice(0, 10),
            adresse,
            true,
          );
        const arrived: Person = { ...base, status: '01', adresse };
        pop.addResident(arrived);
        return { kind, person: arrived, kommunekoder: codes(arrived) };
      }
    }
  }
}

/**
 * How many events of each kind a population of `size` gives on one working day (CPR delta
 * files come on weekdays: ~250 a year). Rounded, so small kinds can be 0 for small towns.
 */
export function dailyDeltaCounts(size: number): Record<EventKind, number> {
  const out = {} as Record<EventKind, number>;
  for (const kind of EVENT_KINDS) out[kind] = Math.round((size * YEARLY_RATE_PER_PERSON[kind]) / 250);
  return out;
}

/** A "day of deltas": the day's events, kinds mixed in a seeded order, spread over working hours. */
export function dayOfDeltas(generator: EventGenerator, size: number, day: Date, prng: Prng): SimEvent[] {
  const counts = dailyDeltaCounts(size);
  const kinds: EventKind[] = [];
  for (const kind of EVENT_KINDS) for (let i = 0; i < counts[kind]; i++) kinds.push(kind);
  prng.shuffle(kinds);
  const dayStart = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), 5, 0, 0);
  const span = 10 * 3_600_000;
  return kinds.map((kind, i) =>
    generator.next({ kind, at: new Date(dayStart + Math.floor((i * span) / Math.max(1, kinds.length))) }),
  );
}
