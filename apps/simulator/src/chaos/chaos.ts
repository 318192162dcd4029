import { Prng } from '../population/prng';

/** Rates (0..1) of each kind of trouble the simulator can make on request. */
export interface ChaosRates {
  /** A delivery is sent twice at once. */
  readonly duplicate: number;
  /** A delivery is sent again later (AntalLeveranceforsoeg + 1). */
  readonly redeliver: number;
  /** A batch for one subscription goes out in shuffled order. */
  readonly reorder: number;
  /** A delivery is replaced by a malformed message (broken XML, a DTD, or no BeskedId). */
  readonly malformed: number;
  /** A push attempt is delayed by slowMs. */
  readonly pushSlow: number;
  /** A push attempt counts as failed whatever the answer (as if the connection dropped). */
  readonly pushFail: number;
  readonly slowMs: number;
}

export const NO_CHAOS: ChaosRates = Object.freeze({
  duplicate: 0,
  redeliver: 0,
  reorder: 0,
  malformed: 0,
  pushSlow: 0,
  pushFail: 0,
  slowMs: 0,
});

export type MalformedKind = 'broken-xml' | 'dtd' | 'missing-beskedid';

/** Seeded chaos decisions: the same seed and rates make the same trouble in the same places. */
export class Chaos {
  private readonly prng: Prng;

  constructor(
    readonly rates: ChaosRates,
    seed: number,
  ) {
    this.prng = new Prng(seed ^ 0x0c4a05);
  }

  duplicate(): boolean {
    return this.prng.chance(this.rates.duplicate);
  }
  redeliver(): boolean {
    return this.prng.chance(this.rates.redeliver);
  }
  reorder<T>(items: T[]): T[] {
    return this.prng.chance(this.rates.reorder) ? this.prng.shuffle(items) : items;
  }
  malformed(): MalformedKind | undefined {
    if (!this.prng.chance(this.rates.malformed)) return undefined;
    return this.prng.pick(['broken-xml', 'dtd', 'missing-beskedid'] as const);
  }
  pushSlow(): boolean {
    return this.prng.chance(this.rates.pushSlow);
  }
  pushFail(): boolean {
    return this.prng.chance(this.rates.pushFail);
  }
  /** Delay of a redelivery, 0.5-2 s. */
  redeliveryDelayMs(): number {
    return this.prng.int(500, 2000);
  }
}

const DECLARATION = /^<\?xml[^>]*\?>\s*/;

/**
 * Spoils a document the way real-world senders or attackers might. `xml` is the whole
 * document (a Haendelsesbesked for pull, a ModtagBeskedInput for push).
 */
export function malform(xml: string, kind: MalformedKind): string {
  switch (kind) {
    case 'broken-xml':
      // Cut mid-document: unclosed elements.
      return xml.slice(0, Math.floor(xml.length / 2));
    case 'dtd': {
      const decl = DECLARATION.exec(xml)?.[0] ?? '';
      const rest = xml.slice(decl.length);
      const root = /^<([\w:.-]+)/.exec(rest)?.[1] ?? 'Haendelsesbesked';
      // An external entity: a parser that expands it leaks a local file.
      const doctype = `<!DOCTYPE ${root} [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>`;
      return `${decl}${doctype}${rest.replace('<ns2:BeskedVersion>1.0<', '<ns2:BeskedVersion>&xxe;<')}`;
    }
    case 'missing-beskedid':
      return xml.replace(/<ns2:BeskedId>.*?<\/ns2:BeskedId>/, '');
  }
}
