/**
 * The settings a tenant's `settings` block in TENANTS_FILE may override, by environment name.
 * Everything else is either shared by every tenant of a deployment (Redis, ports, log, metrics,
 * QUEUE_PREFIX, PARTITIONS) or written through the tenant's own fields (cvr, certificate, dueslag,
 * routes, webhooksFile, pushPath), so that one thing has one place in the file.
 */
export const TENANT_SETTINGS: readonly string[] = [
  // The way in to KOMBIT, when a municipality's differs from the deployment's.
  'AMQP_URL',
  'AMQP_URL_FILE',
  'AMQP_AUTH',
  'STS_URL',
  'STS_APPLIES_TO',
  'STS_REFRESH_MARGIN_SECONDS',
  'CA_FILE',
  'VAERDILISTE_URL',
  'VAERDILISTE_AKTOER_UUID',
  'VAERDILISTE_AKTOER_TYPE',
  // The poller's dealings with this tenant's dueslag.
  'POLLER_MODE',
  'POLLER_PREFETCH',
  'POLLER_BATCH_SIZE',
  'POLLER_LINGER_MS',
  'POLLER_POLL_INTERVAL_SECONDS',
  'POLLER_POLL_MAX_MESSAGES',
  'POLLER_DECLARE_QUEUE',
  // How long this municipality's data is kept (its own data-processing agreement).
  'EVENTS_MAXLEN',
  'EVENTS_MAX_AGE_SECONDS',
  'ROUTES_MAX_AGE_SECONDS',
  'EVENTS_MAX_AGE_WARN_SECONDS',
  'DEAD_LETTER_MAX_AGE_SECONDS',
  'DISPATCHED_TTL_SECONDS',
  // Push: who may call this tenant's path.
  'RECEIVER_ALLOWED_SUBJECTS',
  'KOMBIT_MOVE_DEAD_TO_ERROR_QUEUE',
];

/** The settings a tenant's fields set; naming one in `settings` points at the field instead. */
export const TENANT_FIELD_SETTINGS: Readonly<Record<string, string>> = {
  TENANT_ID: 'id',
  STS_CVR: 'cvr',
  KOMBIT_ENV: 'kombitEnv',
  CLIENT_CERT_P12_FILE: 'certificate.p12File',
  CLIENT_CERT_P12_PASSWORD: 'certificate.passwordFile',
  CLIENT_CERT_P12_PASSWORD_FILE: 'certificate.passwordFile',
  CLIENT_CERT_FILE: 'certificate.certFile',
  CLIENT_KEY_FILE: 'certificate.keyFile',
  CLIENT_KEY_PASSPHRASE: 'certificate.keyPassphraseFile',
  CLIENT_KEY_PASSPHRASE_FILE: 'certificate.keyPassphraseFile',
  DUESLAG_QUEUE: 'dueslag',
  ROUTES: 'routes',
  WEBHOOKS_FILE: 'webhooksFile',
  RECEIVER_PATH: 'pushPath',
};
