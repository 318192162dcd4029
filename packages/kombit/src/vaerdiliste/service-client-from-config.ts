import { join } from 'node:path';
import type { Logger } from 'pino';
import { beskedfordelerServiceUrl, type ClientCertSource, type Config } from '@cprh/config';
import { FunctionCertificate, loadFunctionCertificate } from '../function-certificate';
import { VaerdilisteClient } from './vaerdiliste-client';

/** The sections a BeskedfordelerService client is made from. */
export const BESKEDFORDELER_SERVICE_SECTIONS = ['amqp', 'clientCert', 'beskedfordelerService'] as const;
type ServiceConfig = Config<(typeof BESKEDFORDELER_SERVICE_SECTIONS)[number]>;

/**
 * The function certificate for the service. With KOMBIT_ENV=local and none configured, the
 * simulator's dev client certificate in `devCertsDir` (certs/make-dev-certs.sh), its CA trusted.
 */
export function serviceCertificate(cfg: ServiceConfig, devCertsDir?: string): FunctionCertificate {
  if (cfg.clientCert.source === undefined && cfg.amqp.kombitEnv === 'local' && devCertsDir !== undefined) {
    const dev: ClientCertSource = {
      kind: 'pem',
      certFile: join(devCertsDir, 'client.crt'),
      keyFile: join(devCertsDir, 'client.key'),
      caFile: cfg.clientCert.caFile ?? join(devCertsDir, 'ca.crt'),
    };
    return FunctionCertificate.load(dev);
  }
  return loadFunctionCertificate(cfg.clientCert);
}

/** A VaerdilisteClient on VAERDILISTE_URL (or KOMBIT_ENV's preset) with the function certificate. */
export async function vaerdilisteClientFromConfig(
  cfg: ServiceConfig,
  opts: { log?: Logger; devCertsDir?: string } = {},
): Promise<VaerdilisteClient> {
  const cert = serviceCertificate(cfg, opts.devCertsDir);
  const tls = cert.tls();
  return VaerdilisteClient.create({
    endpoint: beskedfordelerServiceUrl(cfg.amqp, cfg.beskedfordelerService),
    tls: { cert: tls.cert, key: tls.key, ...(tls.ca === undefined ? {} : { ca: tls.ca }) },
    timeoutMs: cfg.beskedfordelerService.timeoutMs,
    aktoer: cfg.beskedfordelerService.aktoer,
    ...(opts.log ? { log: opts.log } : {}),
  });
}
