import { LOCAL_RECEIVER_URL } from '@cprh/config';
import type { Logger, RunningService } from '@cprh/runtime';
import { startReceiver } from '@cprh/receiver';
import { devPkiFiles, loadCerts } from '@cprh/simulator';
import type { StartConfig } from './start-config';

/** The receiver as a `cprh start` service; `url` is set when it runs. */
export type ReceiverService = RunningService & { readonly url?: string };

/** SIM_DEMO_MODE=push (with the simulator on) implies the receiver: the demo pushes to it. */
export function pushDemo(config: StartConfig): boolean {
  return config.simulator.enabled && config.simulator.demo.mode === 'push';
}

/**
 * Starts the push receiver when RECEIVER_ENABLED=true or the push demo runs. Without RECEIVER_TLS_*
 * files and with the simulator on (the local stack), it serves with the simulator's dev PKI
 * (SIM_CERTS_DIR, made on first use): server.crt/key, and ca.crt for the callers.
 */
export async function startReceiverService(config: StartConfig, log: Logger): Promise<ReceiverService> {
  if (!config.receiver.enabled && !pushDemo(config)) return { stop: async () => undefined };
  let receiverConfig = config;
  if (config.receiver.tls === undefined && config.simulator.enabled) {
    const pki = devPkiFiles(config.simulator.certsDir);
    loadCerts(pki.dir, { create: true });
    const tls = { certFile: pki.serverCert, keyFile: pki.serverKey, clientCaFile: pki.ca };
    receiverConfig = { ...config, receiver: { ...config.receiver, tls } };
    log.info(
      { certsDir: pki.dir },
      'receiver: dev PKI of the simulator (set RECEIVER_TLS_* for real certificates)',
    );
  }
  return startReceiver(receiverConfig, log);
}

/** The simulator's settings with the demo pushing to `url` (the receiver just started), unless SIM_PUSH_URL names another. */
export function withDemoPushUrl(config: StartConfig, url: string | undefined): StartConfig {
  const sim = config.simulator;
  if (url === undefined || !pushDemo(config) || sim.demo.pushUrl !== LOCAL_RECEIVER_URL) return config;
  return { ...config, simulator: { ...sim, demo: { ...sim.demo, pushUrl: url } } };
}
