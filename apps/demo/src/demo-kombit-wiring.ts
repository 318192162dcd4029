import { FunctionCertificate } from '@cprh/kombit';
import { BF_VHOST, devPkiFiles, STS_ISSUE_PATH } from '@cprh/simulator';
import type { StartConfig } from './start-config';

/** What the running simulator offers in place of KOMBIT. */
export interface SimulatorKombit {
  readonly stsIssueUrl: string;
  readonly amqpFrontUrl: string | undefined;
  readonly certsDir: string;
}

/**
 * `cprh start` runs the demo the way production runs: unless KOMBIT_ENV or AMQP_AUTH is set, the
 * simulator opens its Beskedfordeler AMQP front and the poller reaches the dueslag through the
 * simulator's STS, TLS with the dev function certificate and SASL EXTERNAL. KOMBIT_ENV=local (or
 * AMQP_AUTH=plain) keeps plain AMQP straight to RabbitMQ.
 */
export function demoUsesStsFront(config: Pick<StartConfig, 'simulator' | 'amqp'>): boolean {
  return config.simulator.enabled && config.simulator.demo.mode === 'pull' && !config.amqp.authChosen;
}

/** The simulator's settings with its AMQP front on. */
export function withAmqpFront(config: StartConfig): StartConfig {
  return {
    ...config,
    simulator: { ...config.simulator, amqpFront: { ...config.simulator.amqpFront, enabled: true } },
  };
}

/**
 * The poller's settings pointed at the simulator: front URL, its STS, the dev certificate (unless
 * one is set, as a TENANTS_FILE tenant's is) and the dev CA.
 */
export function viaSimulatorFront<C extends Pick<StartConfig, 'clientCert' | 'amqp'>>(
  config: C,
  sim: SimulatorKombit,
): C {
  if (sim.amqpFrontUrl === undefined) return config;
  const pki = devPkiFiles(sim.certsDir);
  const source0 = config.clientCert.source;
  // The simulator's STS and front serve the dev PKI's server certificate: its CA is trusted too.
  const clientCert = source0
    ? {
        source: { ...source0, caFile: source0.caFile ?? config.clientCert.caFile ?? pki.ca },
        caFile: config.clientCert.caFile ?? pki.ca,
      }
    : {
        source: {
          kind: 'pem' as const,
          certFile: pki.clientCert,
          keyFile: pki.clientKey,
          caFile: config.clientCert.caFile ?? pki.ca,
        },
        caFile: config.clientCert.caFile ?? pki.ca,
      };
  const source = clientCert.source;
  const cvr = config.amqp.sts.cvr ?? (source ? FunctionCertificate.load(source).cvr : undefined);
  return {
    ...config,
    clientCert,
    amqp: {
      ...config.amqp,
      url: sim.amqpFrontUrl,
      auth: 'sts',
      sts: { ...config.amqp.sts, url: sim.stsIssueUrl, cvr },
    },
  };
}

/**
 * Where the simulator of `pnpm start` offers STS and AMQP front by its settings (SIM_HOST,
 * SIM_STS_PORT, SIM_AMQP_FRONT_PORT, SIM_CERTS_DIR): what another process, like `cprh kombit
 * check`, reaches when the demo runs.
 */
export function configuredSimulatorKombit(sim: StartConfig['simulator']): SimulatorKombit {
  const host = sim.host.includes(':') ? `[${sim.host}]` : sim.host;
  return {
    stsIssueUrl: `https://${host}:${sim.stsPort}${STS_ISSUE_PATH}`,
    amqpFrontUrl: `amqps://${host}:${sim.amqpFront.port}/${BF_VHOST}`,
    certsDir: devPkiFiles(sim.certsDir).dir,
  };
}

/** The local RabbitMQ URL with KOMBIT's vhost BF, where the demo's dueslag is. */
export function withVhostBf(url: string): string {
  const u = new URL(url);
  u.pathname = '/BF';
  return u.toString();
}
