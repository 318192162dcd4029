import { z } from 'zod';
import {
  boolFromEnv,
  defineSection,
  LOCAL_RECEIVER_URL,
  nonNegativeInt,
  positiveInt,
  readTenantsFile,
  urlWithScheme,
} from '@cprh/config';
import type { SimTenant } from './tenants/sim-tenant';

const uuid = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'expected a UUID');
const rate = z.coerce
  .number({ message: 'expected a number' })
  .min(0, 'must be between 0 and 1')
  .max(1, 'must be between 0 and 1');
const port = z.coerce
  .number({ message: 'expected a number' })
  .int('expected an integer')
  .min(0, 'must be a port 0-65535')
  .max(65535, 'must be a port 0-65535');

// Settings of the local Beskedfordeler: the workbench's own section (workbench-config.ts), not the
// product's. Documented in apps/simulator/README.md.
export const simulatorSettings = defineSection({
  env: {
    /** Start the simulator with `cprh start` (the local stack). */
    SIM_ENABLED: boolFromEnv.default(true),
    /**
     * Seed of the synthetic population and events: the same seed gives the same events. Unset, each
     * run picks (and logs) a new one, so a restarted demo brings new BeskedIds instead of repeats.
     */
    SIM_SEED: nonNegativeInt.max(2 ** 31 - 1, 'must be <= 2147483647').optional(),
    /** Dueslag (queue) of the demo subscription; the poller's default dueslag. */
    SIM_DUESLAG: uuid.default('11111111-2222-4333-8444-555555555555'),
    /** Events per second emitted for the demo subscription (0 = none). */
    SIM_RATE: z.coerce
      .number({ message: 'expected a number' })
      .min(0, 'must be >= 0')
      .max(1000, 'must be <= 1000')
      .default(2),
    /** People in the synthetic population. */
    SIM_POPULATION: positiveInt.max(1_000_000, 'must be <= 1000000').default(10_000),
    /** Beskedtype written into every envelope ("CPR Hændelse"). */
    SIM_BESKEDTYPE: uuid.default('248ce14c-a863-4fb5-9e6f-7df9ea850809'),
    /** Redis key prefix for the simulator's own state (value lists, subscriptions). */
    SIM_REDIS_PREFIX: z.string().min(1).default('cprh-sim:'),
    /** Interface the simulator's HTTPS/SOAP servers bind to. */
    SIM_HOST: z.string().min(1).default('127.0.0.1'),
    /** Port of the STS (HTTPS, mutual TLS); 0 = any free port. */
    SIM_STS_PORT: port.default(8443),
    /** Port of BeskedfordelerService (SOAP over HTTPS, mutual TLS); 0 = any free port. */
    SIM_SOAP_PORT: port.default(8444),
    /** Directory with ca.crt, ca.key, server.crt/key and client.crt/key (certs/make-dev-certs.sh). */
    SIM_CERTS_DIR: z.string().min(1).default('certs/dev'),
    /** Run the Beskedfordeler AMQP front (TLS + SASL EXTERNAL, relayed to RabbitMQ's vhost BF). */
    SIM_AMQP_FRONT: boolFromEnv.default(false),
    /** Port of the AMQP front (amqps); 0 = any free port. */
    SIM_AMQP_FRONT_PORT: port.default(5671),
    /** Port of RabbitMQ's management API on AMQP_URL's host (the front creates vhost BF through it). */
    SIM_MANAGEMENT_PORT: port.default(15672),
    /** Lifetime of issued SAML assertions, in seconds. */
    SIM_TOKEN_LIFETIME_S: positiveInt.max(86_400, 'must be <= 86400').default(300),
    /** Demo subscription delivery: pull (RabbitMQ dueslag queue) or push (HTTPS POST). */
    SIM_DEMO_MODE: z.enum(['pull', 'push']).default('pull'),
    /** Push endpoint of the demo subscription (SIM_DEMO_MODE=push): by default the local receiver's. */
    SIM_PUSH_URL: urlWithScheme('https').default(LOCAL_RECEIVER_URL),
    /** Push attempts before a delivery is given up. */
    SIM_PUSH_MAX_ATTEMPTS: positiveInt.max(100, 'must be <= 100').default(5),
    /** First retry delay of a failed push, doubled on each retry (ms). */
    SIM_PUSH_BACKOFF_MS: nonNegativeInt.default(500),
    /** Chaos: share of deliveries sent twice at once. */
    SIM_CHAOS_DUPLICATE: rate.default(0),
    /** Chaos: share of deliveries sent again a little later. */
    SIM_CHAOS_REDELIVER: rate.default(0),
    /** Chaos: share of batches delivered in shuffled order. */
    SIM_CHAOS_REORDER: rate.default(0),
    /** Chaos: share of deliveries replaced by a malformed message. */
    SIM_CHAOS_MALFORMED: rate.default(0),
    /** Chaos: share of pushes delayed by SIM_CHAOS_SLOW_MS. */
    SIM_CHAOS_PUSH_SLOW: rate.default(0),
    /** Chaos: share of push attempts that fail on the sender's side (retried). */
    SIM_CHAOS_PUSH_FAIL: rate.default(0),
    /** Chaos: delay of a slow push (ms). */
    SIM_CHAOS_SLOW_MS: nonNegativeInt.default(2000),
    /** Chaos: the first N STS issue requests are answered HTTP 500 (a flaky STS at start-up). */
    SIM_STS_FAIL_FIRST: nonNegativeInt.max(100, 'must be <= 100').default(0),
    /**
     * The product's TENANTS_FILE, read here too: the simulator serves each tenant's CVR, dueslag
     * and a population of its own (tenants/sim-tenant.ts).
     */
    TENANTS_FILE: z.string().min(1).optional(),
  },
  build: (e) => {
    return {
      enabled: e.SIM_ENABLED,
      seed: e.SIM_SEED,
      tenants: e.TENANTS_FILE === undefined ? [] : simTenantsOf(e.TENANTS_FILE),
      dueslag: e.SIM_DUESLAG.toLowerCase(),
      rate: e.SIM_RATE,
      population: e.SIM_POPULATION,
      beskedtype: e.SIM_BESKEDTYPE.toLowerCase(),
      redisPrefix: e.SIM_REDIS_PREFIX,
      host: e.SIM_HOST,
      stsPort: e.SIM_STS_PORT,
      soapPort: e.SIM_SOAP_PORT,
      certsDir: e.SIM_CERTS_DIR,
      tokenLifetimeSeconds: e.SIM_TOKEN_LIFETIME_S,
      amqpFront: {
        enabled: e.SIM_AMQP_FRONT,
        port: e.SIM_AMQP_FRONT_PORT,
        managementPort: e.SIM_MANAGEMENT_PORT,
      },
      demo: { mode: e.SIM_DEMO_MODE, pushUrl: e.SIM_PUSH_URL },
      push: { maxAttempts: e.SIM_PUSH_MAX_ATTEMPTS, backoffMs: e.SIM_PUSH_BACKOFF_MS },
      chaos: {
        duplicate: e.SIM_CHAOS_DUPLICATE,
        redeliver: e.SIM_CHAOS_REDELIVER,
        reorder: e.SIM_CHAOS_REORDER,
        malformed: e.SIM_CHAOS_MALFORMED,
        pushSlow: e.SIM_CHAOS_PUSH_SLOW,
        pushFail: e.SIM_CHAOS_PUSH_FAIL,
        slowMs: e.SIM_CHAOS_SLOW_MS,
        stsFailFirst: e.SIM_STS_FAIL_FIRST,
      },
    };
  },
});

/** The municipalities of TENANTS_FILE as the simulator serves them (the product's checks apply). */
function simTenantsOf(file: string): readonly SimTenant[] {
  return readTenantsFile(file).map((t) => ({
    id: t.id,
    cvr: t.cvr,
    dueslag: t.dueslag,
    ...(t.pushPath !== undefined ? { pushPath: t.pushPath } : {}),
  }));
}
