import type { Config } from '@cprh/config';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { loadCerts, type CertBundle } from './certificates';
import { Chaos } from './chaos/chaos';
import { Distributor, type DeliveryStats } from './subscriptions/distributor';
import { EventGenerator, dailyDeltaCounts, dayOfDeltas } from './population/event-generator';
import type { EventKind } from './population/event-kinds';
import { createSimLogger } from './logger';
import { Prng } from './population/prng';
import { PullPublisher } from './dueslag/pull-publisher';
import type { SimEvent } from './population/sim-event';
import { SimError } from './sim-error';
import { startSoapServer, type SoapServer } from './vaerdiliste/soap-server';
import { startStsServer, type StsServer } from './sts/sts-server';
import type { Subscription } from './subscriptions/subscription';
import { SubscriptionRegistry } from './subscriptions/subscription-registry';
import { VaerdilisteStore } from './vaerdiliste/vaerdiliste-store';

export type SimulatorConfig = Pick<Config, 'redis' | 'amqp' | 'log' | 'simulator'>;

/** Id of the demo subscription (catch-all, pull to config.simulator.dueslag). */
export const DEMO_SUBSCRIPTION_ID = '0d3e0d3e-5e55-4a11-8c0d-000000000001';

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
  /** Seed override (default config.simulator.seed). */
  readonly seed?: number;
  /** Origin of generated event times (default now). */
  readonly start?: Date;
}

export interface Simulator {
  /** STS base URL (issue endpoint at /runtime/api/rest/wstrust/v1/issue), when servers run. */
  readonly stsUrl: string | undefined;
  /** BeskedfordelerService endpoint, when servers run. */
  readonly soapUrl: string | undefined;
  readonly certs: CertBundle;
  /** Generates n events now and delivers them to the matching subscriptions. */
  emit(n: number, opts?: { kind?: EventKind; beskedtype?: string }): Promise<SimEvent[]>;
  /** A day of deltas for a population of `size` (default config.simulator.population). */
  emitDayOfDeltas(size?: number): Promise<SimEvent[]>;
  addSubscription(sub: Subscription): Promise<void>;
  removeSubscription(id: string): Promise<boolean>;
  subscriptions(): Subscription[];
  stats(subscriptionId: string): DeliveryStats | undefined;
  /** Waits for pushes and scheduled redeliveries in flight. */
  settle(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
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
  const logger = opts.logger ?? createSimLogger(config.log.level);
  const certs = opts.certs ?? loadCerts(sim.certsDir, { create: true });
  const seed = opts.seed ?? sim.seed;
  const redis = new Redis(config.redis.url, { maxRetriesPerRequest: 3, lazyConnect: true });
  redis.on('error', (err) => logger.warn({ err: err.message }, 'simulator: redis error'));
  const cleanups: (() => Promise<unknown>)[] = [async () => redis.disconnect()];
  const stopAll = async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  };

  try {
    await redis.connect();
    const store = new VaerdilisteStore(redis, sim.redisPrefix);
    const registry = new SubscriptionRegistry(redis, sim.redisPrefix);
    let publisher: PullPublisher | undefined = await PullPublisher.connect(config.amqp.url);
    cleanups.push(async () => publisher?.close());

    const distributor = new Distributor({
      publisher,
      lookup: (id) => store.activeValues(id),
      push: {
        maxAttempts: sim.push.maxAttempts,
        backoffMs: sim.push.backoffMs,
        tls: { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey },
      },
      chaos: new Chaos(sim.chaos, seed),
      onPushResult: (subscriptionId, r) => {
        if (!r.ok)
          logger.warn(
            { subscriptionId, beskedId: r.beskedId, attempts: r.attempts, error: r.error },
            'push given up',
          );
      },
    });
    cleanups.push(() => distributor.close());

    let sts: StsServer | undefined;
    let soapServer: SoapServer | undefined;
    if (opts.servers ?? true) {
      sts = await startStsServer({
        host: sim.host,
        port: opts.stsPort ?? sim.stsPort,
        certs,
        lifetimeSeconds: sim.tokenLifetimeSeconds,
        logger,
      });
      cleanups.push(() => (sts as StsServer).close());
      soapServer = await startSoapServer({
        host: sim.host,
        port: opts.soapPort ?? sim.soapPort,
        redis,
        prefix: sim.redisPrefix,
        certs,
        logger,
      });
      cleanups.push(() => (soapServer as SoapServer).close());
    }

    const added = new Set<string>();
    const addSubscription = async (sub: Subscription) => {
      // As at KOMBIT, a pull subscription's dueslag exists from the start, not from its first event.
      if (sub.delivery.mode === 'pull') await publisher?.ensureQueue(sub.dueslag);
      distributor.add(sub);
      added.add(sub.id);
      await registry.put(sub);
    };
    cleanups.push(async () => {
      for (const id of added) await registry.remove(id);
    });
    if (opts.demo ?? true) {
      await addSubscription({
        id: DEMO_SUBSCRIPTION_ID,
        navn: 'demo (catch-all)',
        dueslag: opts.demoDueslag ?? sim.dueslag,
        delivery:
          sim.demo.mode === 'push' && sim.demo.pushUrl
            ? { mode: 'push', url: sim.demo.pushUrl }
            : { mode: 'pull' },
        filter: {},
      });
    }
    for (const s of opts.subscriptions ?? []) await addSubscription(s);

    const generator = new EventGenerator({
      seed,
      populationSize: sim.population,
      start: opts.start ?? new Date(),
      beskedtype: sim.beskedtype,
    });

    let stopped = false;
    // One dispatch at a time: the rate loop and emit() never interleave a batch.
    let chain: Promise<unknown> = Promise.resolve();
    const serial = <T>(fn: () => Promise<T>): Promise<T> => {
      const run = chain.then(fn);
      chain = run.catch(() => undefined);
      return run;
    };
    const deliver = async (events: SimEvent[]) => {
      if (!publisher) {
        publisher = await PullPublisher.connect(config.amqp.url);
        distributor.setPublisher(publisher);
        logger.info('simulator: reconnected to RabbitMQ');
      }
      try {
        await distributor.dispatch(events);
      } catch (err) {
        // The broker went away: drop the publisher and reconnect on the next batch.
        const old = publisher;
        publisher = undefined;
        await old?.close().catch(() => undefined);
        throw err;
      }
    };
    const emit = (n: number, o: { kind?: EventKind; beskedtype?: string } = {}) =>
      serial(async () => {
        if (stopped) throw new SimError('SIM_STOPPED', 'the simulator has been stopped');
        const events: SimEvent[] = [];
        for (let i = 0; i < n; i++) events.push(generator.next({ ...o, at: new Date() }));
        await deliver(events);
        return events;
      });

    // Rate mode: a token bucket topped up every 100 ms; a slow broker skips ticks, never piles up.
    const rate = Math.min(opts.rate ?? sim.rate, 1000);
    let timer: NodeJS.Timeout | undefined;
    if (rate > 0) {
      let tokens = 0;
      let last = Date.now();
      let busy = false;
      timer = setInterval(() => {
        const now = Date.now();
        tokens = Math.min(rate, tokens + ((now - last) / 1000) * rate);
        last = now;
        const n = Math.floor(tokens);
        if (busy || n < 1) return;
        tokens -= n;
        busy = true;
        emit(n)
          .catch((err: unknown) =>
            logger.error({ err: (err as Error).message }, 'simulator: delivery failed'),
          )
          .finally(() => {
            busy = false;
          });
      }, 100);
      cleanups.push(async () => clearInterval(timer));
    }

    logger.info(
      { sts: sts?.url, soap: soapServer?.url, rate, subscriptions: distributor.list().length },
      'simulator started',
    );

    return {
      stsUrl: sts?.url,
      soapUrl: soapServer?.url,
      certs,
      emit,
      emitDayOfDeltas: (size = sim.population) =>
        serial(async () => {
          const events = dayOfDeltas(generator, size, new Date(), new Prng(seed ^ 0xda7));
          await deliver(events);
          logger.info({ counts: dailyDeltaCounts(size), total: events.length }, 'simulator: day of deltas');
          return events;
        }),
      addSubscription,
      removeSubscription: async (id) => {
        added.delete(id);
        await registry.remove(id);
        return distributor.remove(id);
      },
      subscriptions: () => distributor.list(),
      stats: (id) => distributor.stats(id),
      settle: (timeoutMs) => distributor.settle(timeoutMs),
      stop: async () => {
        if (stopped) return;
        stopped = true;
        if (timer) clearInterval(timer);
        await chain;
        await stopAll();
        logger.info('simulator stopped');
      },
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
