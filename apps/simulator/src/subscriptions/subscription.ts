import { eventKindOf, type EventKind } from '../population/event-kinds';
import { normaliseKommunekode } from '../population/danish-data';
import { SimError } from '../sim-error';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Filters as KOMBIT describes them, on envelope metadata. Every criterion that is given must
 * match (AND); within one criterion any value may match (OR). No criteria = catch-all.
 */
export interface SubscriptionFilter {
  /** Beskedtype UUIDs. */
  readonly beskedtyper?: readonly string[];
  /** Event kinds, by catalogue name ("flytning") or ObjektHandling id. */
  readonly haendelser?: readonly string[];
  /** UUID of a value list (BeskedfordelerService) holding the CPR numbers followed. */
  readonly cprVaerdiliste?: string;
  /** Municipality codes ("101" or "0101"); a move matches both the old and the new one. */
  readonly kommunekoder?: readonly string[];
}

export type Delivery = { readonly mode: 'pull' } | { readonly mode: 'push'; readonly url: string };

export interface Subscription {
  readonly id: string;
  readonly navn: string;
  /** The queue (pull) the subscription's messages go to; also names it for push. */
  readonly dueslag: string;
  readonly delivery: Delivery;
  readonly filter: SubscriptionFilter;
  /** Recipient CVR written as TilladtModtager; optional. */
  readonly cvr?: string;
}

/** The filter in the form matching uses: lower-case ids, kinds resolved, codes normalised. */
export interface CompiledFilter {
  readonly beskedtyper?: ReadonlySet<string>;
  readonly haendelser?: ReadonlySet<EventKind>;
  readonly cprVaerdiliste?: string;
  readonly kommunekoder?: ReadonlySet<string>;
  /** The subscriber's CVR: a tenant's events (SimEvent.cvr) reach only its own subscriptions. */
  readonly cvr?: string;
}

function nonEmpty<T>(list: readonly T[] | undefined): list is readonly T[] {
  return list !== undefined && list.length > 0;
}

/** Checks a subscription and compiles its filter; throws SIM_SUBSCRIPTION_INVALID naming the problem. */
export function compileSubscription(sub: Subscription): CompiledFilter {
  const bad = (what: string): never => {
    throw new SimError('SIM_SUBSCRIPTION_INVALID', `subscription ${sub.id}: ${what}`);
  };
  if (!UUID.test(sub.id)) bad('id is not a UUID');
  // KOMBIT's dueslag are UUIDs; any AMQP queue name is accepted so local setups can differ.
  if (!/^\S{1,255}$/.test(sub.dueslag)) bad('dueslag must be a queue name (no spaces)');
  if (sub.delivery.mode === 'push') {
    let url: URL | undefined;
    try {
      url = new URL(sub.delivery.url);
    } catch {
      bad('push url is not a URL');
    }
    if (url?.protocol !== 'https:') bad('push url must be https');
  }
  const f = sub.filter;
  const out: {
    beskedtyper?: Set<string>;
    haendelser?: Set<EventKind>;
    cprVaerdiliste?: string;
    kommunekoder?: Set<string>;
    cvr?: string;
  } = {};
  if (sub.cvr !== undefined) {
    if (!/^\d{8}$/.test(sub.cvr)) bad('cvr must be 8 digits');
    out.cvr = sub.cvr;
  }
  if (nonEmpty(f.beskedtyper)) {
    for (const b of f.beskedtyper) if (!UUID.test(b)) bad('a beskedtype is not a UUID');
    out.beskedtyper = new Set(f.beskedtyper.map((b) => b.toLowerCase()));
  }
  if (nonEmpty(f.haendelser)) {
    out.haendelser = new Set(f.haendelser.map((h) => eventKindOf(h) ?? bad(`unknown event "${h}"`)));
  }
  if (f.cprVaerdiliste !== undefined) {
    if (!UUID.test(f.cprVaerdiliste)) bad('cprVaerdiliste is not a UUID');
    out.cprVaerdiliste = f.cprVaerdiliste.toLowerCase();
  }
  if (nonEmpty(f.kommunekoder)) {
    for (const k of f.kommunekoder) if (!/^\d{1,4}$/.test(k.trim())) bad(`bad kommunekode "${k}"`);
    out.kommunekoder = new Set(f.kommunekoder.map(normaliseKommunekode));
  }
  return out;
}

export function isCatchAll(filter: CompiledFilter): boolean {
  return (
    filter.beskedtyper === undefined &&
    filter.haendelser === undefined &&
    filter.cprVaerdiliste === undefined &&
    filter.kommunekoder === undefined
  );
}
