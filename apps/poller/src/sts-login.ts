import { loadFunctionCertificate, StsClient, type StsLogin } from '@cprh/kombit';
import { metrics, type Logger } from '@cprh/runtime';
import type { PollerConfig } from './poller-sections';

/**
 * AMQP_AUTH=sts: loads and checks the function certificate (logs subject and expiry, warns within
 * 30 days) and makes the STS client the dueslag connection takes a fresh token from per connection.
 * Throws a one-line error for a bad certificate.
 */
export function stsLogin(config: PollerConfig, log: Logger): StsLogin {
  const certificate = loadFunctionCertificate(config.clientCert);
  metrics.certificateExpiresIn.set(certificate.notAfter.getTime());
  const facts = certificate.describe();
  if (certificate.expiresSoon()) log.warn(facts, 'function certificate expires within 30 days');
  else log.info(facts, 'function certificate loaded');
  const { sts } = config.amqp;
  if (sts.cvr === undefined) throw new Error('STS_CVR is required when AMQP_AUTH=sts'); // config checks it too
  const client = new StsClient({
    url: sts.url,
    cvr: sts.cvr,
    appliesTo: sts.appliesTo,
    refreshMarginSeconds: sts.refreshMarginSeconds,
    certificate,
    retry: { attempts: 4, minMs: config.poller.retry.minMs, maxMs: config.poller.retry.maxMs },
    log,
    observer: {
      issued: (token) => {
        metrics.stsTokenFetches.inc();
        metrics.stsTokenExpiresIn.set(token.notOnOrAfter.getTime());
      },
      failed: (code) => metrics.stsTokenFetchFailures.inc({ code }),
    },
  });
  return { sts: client, tls: certificate.tls() };
}
