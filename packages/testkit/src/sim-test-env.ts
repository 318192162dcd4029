import { randomUUID } from 'node:crypto';
import { deleteAmqpQueue, TEST_AMQP_URL } from './amqp-helpers';
import { makeTestPki, type PemBundle } from './test-pki';
import { TEST_REDIS_URL } from './pipeline-test-env';
import { deleteKeysAt } from './redis-cleanup';
import { uniqueName } from './unique-name';

export interface SimTestEnv {
  /** SIM_REDIS_PREFIX: value lists and the subscription registry live under it. */
  readonly prefix: string;
  /** SIM_DUESLAG: the demo subscription's queue (a UUID, as at KOMBIT). */
  readonly dueslag: string;
  /** SIM_CERTS_DIR: the test's own dev PKI. */
  readonly certsDir: string;
  readonly certs: PemBundle;
  /** Environment for loadConfig / spawned processes (servers on port 0). */
  readonly env: Record<string, string>;
  /** Another queue name of this test; cleanup() deletes it. */
  newDueslag(): string;
  /** Deletes the test's queues, keys and PKI. */
  cleanup(): Promise<void>;
}

/**
 * Own dueslag, key prefix and PKI for a test that runs the simulator, so nothing reaches the demo
 * dueslag or the default `cprh-sim:` keys. `overrides` are merged into the env.
 */
export function simTestEnv(overrides: Record<string, string> = {}): SimTestEnv {
  const prefix = `${uniqueName('t-sim')}:`;
  const dueslag = randomUUID();
  const queues = [dueslag];
  const pki = makeTestPki();
  const env: Record<string, string> = {
    REDIS_URL: TEST_REDIS_URL,
    AMQP_URL: TEST_AMQP_URL,
    LOG_LEVEL: 'silent',
    SIM_DUESLAG: dueslag,
    SIM_REDIS_PREFIX: prefix,
    SIM_CERTS_DIR: pki.dir,
    SIM_STS_PORT: '0',
    SIM_SOAP_PORT: '0',
    SIM_POPULATION: '1000',
    ...overrides,
  };
  return {
    prefix,
    dueslag,
    certsDir: pki.dir,
    certs: pki.certs,
    env,
    newDueslag() {
      const q = randomUUID();
      queues.push(q);
      return q;
    },
    async cleanup() {
      for (const q of queues) await deleteAmqpQueue(q, env.AMQP_URL);
      await deleteKeysAt(env.REDIS_URL ?? TEST_REDIS_URL, prefix);
      pki.cleanup();
    },
  };
}
