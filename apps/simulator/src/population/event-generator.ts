import { EVENT_KINDS, YEARLY_RATE_PER_PERSON, type EventKind } from './event-kinds';
import { applyLifeEvent } from './life-events';
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
    const change = applyLifeEvent({ pop: this.population, prng: this.prng }, kind, at);
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
