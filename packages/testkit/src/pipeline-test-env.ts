import { randomUUID } from 'node:crypto';
import { deleteAmqpQueue, TEST_AMQP_URL } from './amqp-helpers';
import { deleteKeysAt } from './redis-cleanup';
import { uniqueName } from './unique-name';

export const TEST_REDIS_URL = 'redis://127.0.0.1:6379';

export interface PipelineTestEnv {
  /** Key prefix (QUEUE_PREFIX); every key the test creates starts with it. */
  readonly prefix: string;
  readonly stream: string;
  readonly dueslag: string;
  /** Environment for loadConfig / spawned processes. */
  readonly env: Record<string, string>;
  /** Deletes the test's keys and its RabbitMQ queue. */
  cleanup(): Promise<void>;
}

/**
 * Unique queue, key and stream names for one test on the shared Redis and RabbitMQ.
 * `overrides` are merged into the env (e.g. a private REDIS_URL or POLLER_MODE=poll).
 */
export function pipelineTestEnv(overrides: Record<string, string> = {}): PipelineTestEnv {
  return testEnv(uniqueName('t'), overrides);
}

/**
 * The same for a test's own Redis Cluster (startRedisCluster): the prefix is a hash tag
 * (`{t-…}`), so the inbox, markers and stream share a slot as the cluster requires.
 */
export function clusterTestEnv(
  cluster: { readonly seeds: string },
  overrides: Record<string, string> = {},
): PipelineTestEnv {
  return testEnv(`{${uniqueName('t')}}`, { REDIS_CLUSTER_NODES: cluster.seeds, ...overrides });
}

function testEnv(prefix: string, overrides: Record<string, string>): PipelineTestEnv {
  const stream = `${prefix}:events`;
  const dueslag = `${prefix.replace(/[{}]/g, '')}-dueslag`;
  // `cprh start` runs the simulator too: off by default here (its demo feed would reach the shared
  // demo dueslag), and isolated when a test turns it on.
  const simDueslag = randomUUID();
  const env: Record<string, string> = {
    REDIS_URL: TEST_REDIS_URL,
    AMQP_URL: TEST_AMQP_URL,
    QUEUE_PREFIX: prefix,
    EVENTS_STREAM: stream,
    DUESLAG_QUEUE: dueslag,
    LOG_LEVEL: 'warn',
    POLLER_RETRY_MIN_MS: '100',
    POLLER_RETRY_MAX_MS: '1000',
    JOB_BACKOFF_MS: '200',
    // `cprh start` also serves the board: any free port, so parallel runs never collide on 3000.
    BOARD_PORT: '0',
    SIM_ENABLED: 'false',
    SIM_DUESLAG: simDueslag,
    SIM_REDIS_PREFIX: `${prefix}:sim:`,
    SIM_STS_PORT: '0',
    SIM_SOAP_PORT: '0',
    ...overrides,
  };
  return {
    prefix,
    stream,
    dueslag,
    env,
    async cleanup() {
      // A cluster's keys go with its nodes (the test stops them); the shared Redis is cleaned here.
      if (env.REDIS_CLUSTER_NODES === undefined) await deleteKeysAt(env.REDIS_URL ?? TEST_REDIS_URL, prefix);
      await deleteAmqpQueue(dueslag, env.AMQP_URL);
      await deleteAmqpQueue(simDueslag, env.AMQP_URL);
    },
  };
}
