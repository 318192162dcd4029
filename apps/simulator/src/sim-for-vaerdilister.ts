import { createLogger } from '@cprh/runtime';
import { makeDevPki, type DevPki } from '@cprh/testkit';
import { loadCerts } from './certificates';
import { SIMULATOR_SECTIONS } from './simulator-sections';
import { startSimulator, type Simulator } from './simulator';
import type { Subscription } from './subscriptions/subscription';
import { loadWorkbenchConfig } from './workbench-config';

// Test support for value-list clients (the cli's tests, e2e, the cli's bench): exported on its own
// path (`@cprh/simulator/sim-for-vaerdilister`) so the simulator's entry points do not carry it.
export interface SimForVaerdilister {
  readonly sim: Simulator;
  readonly pki: DevPki;
  /** Settings for `cprh vaerdiliste` against this simulator with the dev CA's client certificate. */
  readonly cliEnv: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * The simulator (no demo feed, no rate) with its SOAP server on a free port over mutual TLS with
 * a fresh dev PKI; its state under `${prefix}:sim:`.
 */
export async function startSimForVaerdilister(
  env: Record<string, string>,
  subscriptions: Subscription[] = [],
  opts: { soapPort?: number; pki?: DevPki } = {},
): Promise<SimForVaerdilister> {
  const pki = opts.pki ?? makeDevPki();
  const simEnv = { ...env, SIM_REDIS_PREFIX: `${env.QUEUE_PREFIX ?? 'x'}:sim:`, SIM_CERTS_DIR: pki.dir };
  const sim = await startSimulator(loadWorkbenchConfig(SIMULATOR_SECTIONS, simEnv), {
    demo: false,
    rate: 0,
    stsPort: 0,
    soapPort: opts.soapPort ?? 0,
    certs: loadCerts(pki.dir),
    subscriptions,
    logger: createLogger('sim', 'warn'),
  });
  const cliEnv = {
    ...env,
    KOMBIT_ENV: 'local',
    VAERDILISTE_URL: sim.soapUrl ?? '',
    CLIENT_CERT_FILE: pki.files.clientCert,
    CLIENT_KEY_FILE: pki.files.clientKey,
    CA_FILE: pki.files.ca,
  };
  return {
    sim,
    pki,
    cliEnv,
    async stop() {
      await sim.stop();
      pki.remove();
    },
  };
}
