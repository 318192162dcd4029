import type { Logger } from 'pino';
import { beskedfordelerServiceUrl, type Config } from '@cprh/config';
import { type FunctionCertificate, loadFunctionCertificate } from '../function-certificate';
import { VaerdilisteClient } from './vaerdiliste-client';

/** The sections a BeskedfordelerService client is made from. */
export const BESKEDFORDELER_SERVICE_SECTIONS = ['amqp', 'clientCert', 'beskedfordelerService'] as const;
type ServiceConfig = Config<(typeof BESKEDFORDELER_SERVICE_SECTIONS)[number]>;

/**
 * A VaerdilisteClient on VAERDILISTE_URL (or KOMBIT_ENV's preset) with the function certificate of
 * CLIENT_CERT_*, or `certificate` when the caller has its own (the demo's dev certificate).
 */
export async function vaerdilisteClientFromConfig(
  cfg: ServiceConfig,
  opts: { log?: Logger; certificate?: FunctionCertificate } = {},
): Promise<VaerdilisteClient> {
  const cert = opts.certificate ?? loadFunctionCertificate(cfg.clientCert);
  const tls = cert.tls();
  return VaerdilisteClient.create({
    endpoint: beskedfordelerServiceUrl(cfg.amqp, cfg.beskedfordelerService),
    tls: { cert: tls.cert, key: tls.key, ...(tls.ca === undefined ? {} : { ca: tls.ca }) },
    timeoutMs: cfg.beskedfordelerService.timeoutMs,
    aktoer: cfg.beskedfordelerService.aktoer,
    ...(opts.log ? { log: opts.log } : {}),
  });
}
