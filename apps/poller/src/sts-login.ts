import { loadFunctionCertificate, StsClient, type StsLogin } from '@cprh/kombit';
import { metrics, type Logger } from '@cprh/runtime';
import type { PollerConfig } from './poller-sections';

/**
 * AMQP_AUTH=sts: loads and checks the function certificate (logs subject and expiry, warns within
 * 30 days) and makes the STS client the dueslag connection takes a fresh token from per connection.
 * Throws a one-line error for a bad certificate. `quiet` (a TENANTS_FILE tenant): one STS request per
 * login and no per-attempt lines, as the tenant retries with backoff and logs one line per change of
 * its state (failures are still counted in `cprh_sts_token_fetch_failures_total`).
 */
export function stsLogin(
  config: PollerConfig,
  log: Logger,
  tenant: string,
  opts: { quiet?: boolean } = {},
): StsLogin {
  const certificate = loadFunctionCertificate(config.clientCert);
  metrics.certificateExpiresIn.set(certificate.notAfter.getTime(), { tenant });
  const facts = certificate.describe();
  if (certificate.expiresSoon()) log.warn(facts, 'function certificate expires within 30 days');
  else if (opts.quiet) log.debug(facts, 'function certificate loaded');
  else log.info(facts, 'function certificate loaded');
  const { sts } = config.amqp;
  if (sts.cvr === undefined) throw new Error('STS_CVR is required when AMQP_AUTH=sts'); // config checks it too
  const client = new StsClient({
    url: sts.url,
    cvr: sts.cvr,
    appliesTo: sts.appliesTo,
    refreshMarginSeconds: sts.refreshMarginSeconds,
    certificate,
    // A tenant retries the whole login with backoff itself (TenantPoller); a single poller asks 4 times.
    retry: {
      attempts: opts.quiet ? 1 : 4,
      minMs: config.poller.retry.minMs,
      maxMs: config.poller.retry.maxMs,
    },
    ...(opts.quiet ? {} : { log }),
    observer: {
      issued: (token) => {
        metrics.stsTokenFetches.inc({ tenant });
        metrics.stsTokenExpiresIn.set(token.notOnOrAfter.getTime(), { tenant });
        if (opts.quiet) log.debug({ ...token.describe() }, 'sts: token issued');
      },
      failed: (code) => metrics.stsTokenFetchFailures.inc({ code, tenant }),
    },
  });
  return { sts: client, tls: certificate.tls() };
}
