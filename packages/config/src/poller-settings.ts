import { z } from 'zod';
import { defineSection } from './define-section';
import { boolFromEnv, nonNegativeInt, positiveInt } from './common-types';
import { ConfigError } from './config-error';

/** A fixed demo dueslag so `pnpm start` and `cprh publish` meet on the same queue out of the box. */
export const DEMO_DUESLAG = '11111111-2222-4333-8444-555555555555';

// The poller: BeskedHent from the dueslag queue into the inbox.
export const pollerSettings = defineSection({
  env: {
    /** The subscription's dueslag (queue name), a UUID at KOMBIT. */
    DUESLAG_QUEUE: z.string().min(1).max(255).regex(/^\S+$/, 'may not contain spaces').default(DEMO_DUESLAG),
    /** `consume`: long-lived consumer; `poll`: a BullMQ job scheduler drains the dueslag every N s. */
    POLLER_MODE: z.enum(['consume', 'poll']).default('consume'),
    /** Unacked messages RabbitMQ may hand us at once (the consumer of either mode). */
    POLLER_PREFETCH: positiveInt.max(65535, 'must be <= 65535').default(200),
    /** Messages persisted per Redis round trip and acked with one `multiple` ack. */
    POLLER_BATCH_SIZE: positiveInt.max(10000, 'must be <= 10000').default(100),
    /** How long a partial batch waits for more messages before it is written (consume mode). */
    POLLER_LINGER_MS: positiveInt.max(10000, 'must be <= 10000').default(5),
    /** Poll mode: seconds between drains. */
    POLLER_POLL_INTERVAL_SECONDS: positiveInt.default(5),
    /** Poll mode: messages one drain takes at most (the rest waits for the next tick); 0 = until empty. */
    POLLER_POLL_MAX_MESSAGES: nonNegativeInt.default(0),
    /** Poll mode: name of the BullMQ queue holding the scheduler's tick jobs (`-<dueslag>` is appended). */
    POLLER_SCHEDULER_QUEUE: z
      .string()
      .min(1)
      .regex(/^[^:\s]+$/, 'may not contain ":" or spaces')
      .default('poller'),
    /** Declare the dueslag durable (local RabbitMQ). KOMBIT's broker owns its queues: set false there. */
    POLLER_DECLARE_QUEUE: boolFromEnv.default(true),
    /** Backoff for Redis and RabbitMQ reconnects: first delay and cap, in ms. */
    POLLER_RETRY_MIN_MS: positiveInt.default(200),
    POLLER_RETRY_MAX_MS: positiveInt.default(10000),
    /** On SIGTERM, how long a batch held while Redis is away may wait before it is left unacked. */
    POLLER_STOP_GRACE_MS: positiveInt.default(10000),
    /**
     * TENANTS_FILE, AMQP_AUTH=sts: how often a tenant's certificate files are looked at; a replaced
     * (and usable) certificate is logged in with at once, without touching the other tenants.
     */
    POLLER_CERT_CHECK_SECONDS: positiveInt.max(86400, 'must be <= 86400').default(60),
  },
  build: (e) => {
    if (e.POLLER_BATCH_SIZE > e.POLLER_PREFETCH) {
      throw new ConfigError('POLLER_BATCH_SIZE', `must be <= POLLER_PREFETCH (${e.POLLER_PREFETCH})`);
    }
    if (e.POLLER_RETRY_MAX_MS < e.POLLER_RETRY_MIN_MS) {
      throw new ConfigError('POLLER_RETRY_MAX_MS', 'must be >= POLLER_RETRY_MIN_MS');
    }
    return {
      dueslagQueue: e.DUESLAG_QUEUE,
      mode: e.POLLER_MODE,
      prefetch: e.POLLER_PREFETCH,
      batchSize: e.POLLER_BATCH_SIZE,
      lingerMs: e.POLLER_LINGER_MS,
      pollIntervalSeconds: e.POLLER_POLL_INTERVAL_SECONDS,
      pollMaxMessages: e.POLLER_POLL_MAX_MESSAGES,
      schedulerQueue: e.POLLER_SCHEDULER_QUEUE,
      declareQueue: e.POLLER_DECLARE_QUEUE,
      retry: { minMs: e.POLLER_RETRY_MIN_MS, maxMs: e.POLLER_RETRY_MAX_MS },
      stopGraceMs: e.POLLER_STOP_GRACE_MS,
      certCheckSeconds: e.POLLER_CERT_CHECK_SECONDS,
    };
  },
});
