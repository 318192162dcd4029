import type { WorkbenchConfig } from './workbench-config';
import { redisUnreachable } from '@cprh/pipeline';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { loadCerts, resolveCertsDir, type CertBundle } from './certificates';
import { Chaos } from './chaos/chaos';
import { CleanupStack } from './run/cleanup-stack';
import { PublisherLink } from './dueslag/publisher-link';
import { createSimLogger } from './logger';
import { EventGenerator, dailyDeltaCounts, dayOfDeltas } from './population/event-generator';
import type { EventKind } from './population/event-kinds';
import { Prng } from './population/prng';
import type { SimEvent } from './population/sim-event';
import { startRateLoop } from './run/rate-loop';
import { runSeed } from './run/run-seed';
import { SerialLane } from './run/serial-lane';
import { SimError } from './sim-error';
import { startStsServer, type StsServer } from './sts/sts-server';
import { startAmqpFront, type BeskedfordelerFront } from './dueslag/start-amqp-front';
import { demoSubscription } from './subscriptions/demo-subscription';
import { Distributor, type DeliveryStats } from './subscriptions/distributor';
import type { Subscription } from './subscriptions/subscription';
import { SubscriptionRegistry } from './subscriptions/subscription-registry';
import { startSoapServer, type SoapServer } from './vaerdiliste/soap-server';
import { VaerdilisteStore } from './vaerdiliste/vaerdiliste-store';
import { tenantDemoSubscriptionId, tenantPushUrl, tenantSeed, type SimTenant } from './tenants/sim-tenant';

export { DEMO_SUBSCRIPTION_ID } from './subscriptions/demo-subscription';

export type SimulatorConfig = WorkbenchConfig<'redis' | 'amqp' | 'log' | 'simulator'>;

export interface SimulatorOptions {
  readonly logger?: Logger;
  /** Subscriptions besides the demo one. */
  readonly subscriptions?: readonly Subscription[];
  /** Add the demo subscription (catch-all to config.simulator.dueslag; pull unless SIM_DEMO_MODE=push). Default true. */
  readonly demo?: boolean;
  /** Queue of the demo subscription (default config.simulator.dueslag). */
  readonly demoDueslag?: string;
  /** Events per second in rate mode (default config.simulator.rate; 0 = only on request). */
  readonly rate?: number;
  /** Start the STS and BeskedfordelerService servers (default true). */
  readonly servers?: boolean;
  readonly stsPort?: number;
  readonly soapPort?: number;
  /** PKI; default: config.simulator.certsDir, made by certs/make-dev-certs.sh when missing. */
  readonly certs?: CertBundle;
  /** Seed override (default SIM_SEED; neither given: a new random seed per run, see `Simulator.seed`). */
  readonly seed?: number;
  /** Origin of generated event times (default now). */
  readonly start?: Date;
  /** The tenants (CVRs) served, overriding config.simulator.tenants (TENANTS_FILE). */
  readonly tenants?: readonly SimTenant[];
}

/** What to emit: an event kind, a beskedtype, and with several tenants which one (default: each). */
export interface EmitOptions {
  readonly kind?: EventKind;
  readonly beskedtype?: string;
  /** Tenant id; without it each tenant emits `n` events from its own population. */
  readonly tenant?: string;
}

export interface Simulator {
  /** STS base URL (issue endpoint at /runtime/api/rest/wstrust/v1/issue), when servers run. */
  readonly stsUrl: string | undefined;
  /** BeskedfordelerService endpoint, when servers run. */
  readonly soapUrl: string | undefined;
  /** amqps:// URL (vhost BF) of the Beskedfordeler AMQP front, when SIM_AMQP_FRONT is on. */
  readonly amqpFrontUrl: string | undefined;
  /** Where the dev PKI is (SIM_CERTS_DIR, absolute). */
  readonly certsDir: string;
  readonly certs: CertBundle;
  /** This run's seed: starting again with it (SIM_SEED / --seed) repeats the same events and ids. */
  readonly seed: number;
  /** The tenants served (empty: one population, the demo dueslag, today's single CVR). */
  readonly tenants: readonly SimTenant[];
  /**
   * Generates n events now and delivers them to the matching subscriptions; with tenants, n from
   * each tenant's population (or from `opts.tenant`'s), each to its own CVR's subscriptions.
   */
  emit(n: number, opts?: EmitOptions): Promise<SimEvent[]>;
  /** A day of deltas for a population of `size` (default config.simulator.population); per tenant with tenants. */
  emitDayOfDeltas(size?: number): Promise<SimEvent[]>;
  addSubscription(sub: Subscription): Promise<void>;
  removeSubscription(id: string): Promise<boolean>;
  subscriptions(): Subscription[];
  stats(subscriptionId: string): DeliveryStats | undefined;
  /** Waits for pushes and scheduled redeliveries in flight. */
  settle(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** What the start-up steps share. */
interface StartContext {
  readonly config: SimulatorConfig;
  readonly sim: SimulatorConfig['simulator'];
  readonly opts: SimulatorOptions;
  readonly logger: Logger;
  readonly certs: CertBundle;
  readonly seed: number;
  readonly tenants: readonly SimTenant[];
  /** Undone newest first on stop, or when a later step fails. */
  readonly cleanups: CleanupStack;
}

/**
 * Starts the local Beskedfordeler: STS, BeskedfordelerService, pull and push delivery, and
 * (rate > 0) a steady stream of events for the subscriptions.
 */
export async function startSimulator(
  config: SimulatorConfig,
  opts: SimulatorOptions = {},
): Promise<Simulator> {
  const sim = config.simulator;
  const ctx: StartContext = {
    config,
    sim,
    opts,
    logger: opts.logger ?? createSimLogger(config.log.level),
    certs: opts.certs ?? loadCerts(sim.certsDir, { create: true }),
    seed: runSeed(opts.seed ?? sim.seed),
    tenants: opts.tenants ?? sim.tenants,
    cleanups: new CleanupStack(),
  };
  try {
    const redis = await connectRedis(ctx);
    // With the AMQP front, the dueslag queues live in KOMBIT's vhost BF, reached through the front.
    const front = await startAmqpFront(ctx);
    const link = await PublisherLink.connect(front?.publishUrl ?? config.amqp.url, ctx.logger);
    ctx.cleanups.push(() => link.close());
    const distributor = createDistributor(ctx, link, new VaerdilisteStore(redis, sim.redisPrefix));
    const servers = await startServers(ctx, redis);
    const registry = new SubscriptionRegistry(redis, sim.redisPrefix);
    const book = await openSubscriptions(ctx, registry, distributor, link);
    const rate = Math.min(opts.rate ?? sim.rate, 1000);
    const feed = startFeed(ctx, link, distributor, rate);
    ctx.logger.info(
      {
        sts: servers.sts?.url,
        soap: servers.soap?.url,
        amqpFront: front?.front.url,
        rate,
        seed: ctx.seed,
        tenants: ctx.tenants.length > 0 ? ctx.tenants.map((t) => t.id) : undefined,
        subscriptions: distributor.list().length,
      },
      'simulator started',
    );
    return simulatorHandle(ctx, { ...servers, amqpFront: front?.front }, book, feed, distributor);
  } catch (err) {
    await ctx.cleanups.run();
    throw err;
  }
}

async function connectRedis(ctx: StartContext): Promise<Redis> {
  let connected = false;
  const redis = new Redis(ctx.config.redis.url, {
    maxRetriesPerRequest: 3,
    lazyConnect: true,
    // The first connect fails at once (one line at start-up); later drops reconnect with backoff.
    retryStrategy: (n) => (connected ? Math.min(n * 100, 2000) : null),
  });
  redis.on('error', (err) => {
    if (connected) ctx.logger.warn({ err: err.message }, 'simulator: redis error');
  });
  ctx.cleanups.push(async () => redis.disconnect());
  try {
    await redis.connect();
  } catch (err) {
    throw redisUnreachable(ctx.config.redis.url, err);
  }
  connected = true;
  return redis;
}

/** Pull through the link, push over mutual TLS with the client certificate, seeded chaos. */
function createDistributor(ctx: StartContext, link: PublisherLink, store: VaerdilisteStore): Distributor {
  const { sim, certs, logger } = ctx;
  const distributor = new Distributor({
    publisher: link.current,
    lookup: (id) => store.activeValues(id),
    push: {
      maxAttempts: sim.push.maxAttempts,
      backoffMs: sim.push.backoffMs,
      tls: { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey },
    },
    chaos: new Chaos(sim.chaos, ctx.seed),
    onPushResult: (subscriptionId, r) => {
      if (!r.ok)
        logger.warn(
          { subscriptionId, beskedId: r.beskedId, attempts: r.attempts, error: r.error },
          'push given up',
        );
    },
  });
  ctx.cleanups.push(() => distributor.close());
  return distributor;
}

interface Servers {
  readonly sts?: StsServer;
  readonly soap?: SoapServer;
  readonly amqpFront?: BeskedfordelerFront;
}

/** The STS and BeskedfordelerService, unless `servers: false`. */
async function startServers(ctx: StartContext, redis: Redis): Promise<Servers> {
  const { sim, opts, certs, logger } = ctx;
  if (!(opts.servers ?? true)) return {};
  const sts = await startStsServer({
    host: sim.host,
    port: opts.stsPort ?? sim.stsPort,
    certs,
    lifetimeSeconds: sim.tokenLifetimeSeconds,
    agreements: new Set(ctx.tenants.map((t) => t.cvr)),
    logger,
  });
  if (sim.chaos.stsFailFirst > 0) sts.failNext(sim.chaos.stsFailFirst);
  ctx.cleanups.push(() => sts.close());
  const soap = await startSoapServer({
    host: sim.host,
    port: opts.soapPort ?? sim.soapPort,
    redis,
    prefix: sim.redisPrefix,
    certs,
    logger,
  });
  ctx.cleanups.push(() => soap.close());
  return { sts, soap };
}

interface SubscriptionBook {
  add(sub: Subscription): Promise<void>;
  remove(id: string): Promise<boolean>;
}

/** Adds the demo and the given subscriptions; each is listed in the registry while it runs. */
async function openSubscriptions(
  ctx: StartContext,
  registry: SubscriptionRegistry,
  distributor: Distributor,
  link: PublisherLink,
): Promise<SubscriptionBook> {
  const add = async (sub: Subscription) => {
    // As at KOMBIT, a pull subscription's dueslag exists from the start, not from its first event.
    if (sub.delivery.mode === 'pull') await link.ensureQueue(sub.dueslag);
    distributor.add(sub);
    await registry.put(sub);
  };
  const remove = async (id: string) => {
    await registry.remove(id);
    return distributor.remove(id);
  };
  ctx.cleanups.push(() => registry.close());
  if ((ctx.opts.demo ?? true) && ctx.tenants.length === 0)
    await add(demoSubscription(ctx.sim, ctx.opts.demoDueslag ?? ctx.sim.dueslag));
  if (ctx.opts.demo ?? true) {
    // One catch-all per tenant, on its dueslag, for its CVR: it gets its own population's events only.
    for (const [i, t] of ctx.tenants.entries()) {
      const base = demoSubscription(ctx.sim, t.dueslag);
      const delivery =
        base.delivery.mode === 'push'
          ? { mode: 'push' as const, url: tenantPushUrl(base.delivery.url, t) }
          : base.delivery;
      await add({
        ...base,
        id: tenantDemoSubscriptionId(i),
        navn: `demo ${t.id} (catch-all)`,
        cvr: t.cvr,
        delivery,
      });
    }
  }
  for (const s of ctx.opts.subscriptions ?? []) await add(s);
  return { add, remove };
}

interface EventFeed {
  emit(n: number, o?: EmitOptions): Promise<SimEvent[]>;
  emitDayOfDeltas(size: number): Promise<SimEvent[]>;
  /** Takes no more batches and waits for the one in flight. */
  stop(): Promise<void>;
}

/** One population and its events: the single demo's, or a tenant's (its events carry its CVR). */
interface Source {
  readonly tenant?: SimTenant;
  readonly seed: number;
  readonly generator: EventGenerator;
}

function sources(ctx: StartContext): Source[] {
  const make = (seed: number, tenant?: SimTenant): Source => ({
    seed,
    ...(tenant ? { tenant } : {}),
    generator: new EventGenerator({
      seed,
      populationSize: ctx.sim.population,
      start: ctx.opts.start ?? new Date(),
      beskedtype: ctx.sim.beskedtype,
    }),
  });
  if (ctx.tenants.length === 0) return [make(ctx.seed)];
  return ctx.tenants.map((t) => make(tenantSeed(ctx.seed, t.id), t));
}

/** The source's events tagged with its tenant's CVR, so only that CVR's subscriptions match them. */
function tagged(source: Source, events: SimEvent[]): SimEvent[] {
  const cvr = source.tenant?.cvr;
  return cvr === undefined ? events : events.map((e) => ({ ...e, cvr }));
}

/**
 * Events from the seeded generators (one, or one per tenant), one batch at a time; at `rate`
 * events/s per population when rate > 0.
 */
function startFeed(
  ctx: StartContext,
  link: PublisherLink,
  distributor: Distributor,
  rate: number,
): EventFeed {
  const { logger } = ctx;
  const all = sources(ctx);
  const lane = new SerialLane();
  let stopped = false;
  const batch = (make: () => SimEvent[]) =>
    lane.run(async () => {
      if (stopped) throw new SimError('SIM_STOPPED', 'the simulator has been stopped');
      const events = make();
      await link.deliver(distributor, events);
      return events;
    });
  const pick = (tenant: string | undefined): Source[] => {
    if (tenant === undefined) return all;
    const found = all.filter((s) => s.tenant?.id === tenant);
    if (found.length === 0)
      throw new SimError('SIM_UNKNOWN_TENANT', `the simulator serves no tenant "${tenant}"`);
    return found;
  };
  const emitFrom = (from: Source[], n: number, o: EmitOptions) =>
    batch(() =>
      from.flatMap((src) =>
        tagged(
          src,
          Array.from({ length: n }, () =>
            src.generator.next({
              ...(o.kind ? { kind: o.kind } : {}),
              ...(o.beskedtype ? { beskedtype: o.beskedtype } : {}),
              at: new Date(),
            }),
          ),
        ),
      ),
    );
  const emit: EventFeed['emit'] = async (n, o = {}) => emitFrom(pick(o.tenant), n, o);
  const onError = (err: unknown) => {
    // A rate batch still queued behind another population's when stop() came: nothing failed.
    if (err instanceof SimError && err.code === 'SIM_STOPPED') return;
    logger.error({ err: (err as Error).message }, 'simulator: delivery failed');
  };
  const stops = rate > 0 ? all.map((src) => startRateLoop(rate, (n) => emitFrom([src], n, {}), onError)) : [];
  return {
    emit,
    emitDayOfDeltas: async (size) => {
      const events = await batch(() =>
        all.flatMap((src) =>
          tagged(src, dayOfDeltas(src.generator, size, new Date(), new Prng(src.seed ^ 0xda7))),
        ),
      );
      logger.info(
        { counts: dailyDeltaCounts(size), total: events.length, populations: all.length },
        'simulator: day of deltas',
      );
      return events;
    },
    stop: async () => {
      stopped = true;
      for (const stop of stops) stop();
      await lane.idle();
    },
  };
}

function simulatorHandle(
  ctx: StartContext,
  servers: Servers,
  book: SubscriptionBook,
  feed: EventFeed,
  distributor: Distributor,
): Simulator {
  let stopping: Promise<void> | undefined;
  return {
    stsUrl: servers.sts?.url,
    soapUrl: servers.soap?.url,
    amqpFrontUrl: servers.amqpFront?.url,
    certsDir: resolveCertsDir(ctx.sim.certsDir),
    certs: ctx.certs,
    seed: ctx.seed,
    tenants: ctx.tenants,
    emit: (n, opts) => feed.emit(n, opts),
    emitDayOfDeltas: (size = ctx.sim.population) => feed.emitDayOfDeltas(size),
    addSubscription: (sub) => book.add(sub),
    removeSubscription: (id) => book.remove(id),
    subscriptions: () => distributor.list(),
    stats: (id) => distributor.stats(id),
    settle: (timeoutMs) => distributor.settle(timeoutMs),
    stop: () =>
      (stopping ??= (async () => {
        await feed.stop();
        await ctx.cleanups.run();
        ctx.logger.info('simulator stopped');
      })()),
  };
}
