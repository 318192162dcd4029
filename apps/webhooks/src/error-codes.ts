import { defineErrorCodes, type CodeOf } from '@cprh/errors';

/** Every error code @cprh/webhooks raises, with what it means. */
export const WEBHOOKS_ERROR_CODES = defineErrorCodes({
  WEBHOOKS_NOT_CONFIGURED:
    'No webhook endpoints: set WEBHOOKS_FILE to a JSON file with at least one endpoint',
  WEBHOOKS_PARTITIONS_UNSUPPORTED:
    'Webhooks do not yet read partitioned streams (PARTITIONS > 1): the delivery looks entries up by the plain name',
  WEBHOOKS_TENANT_START_FAILED:
    "One tenant's webhook delivery (TENANTS_FILE) could not start; the message names the tenant and why, nothing starts",
  WEBHOOKS_ENDPOINT_UNKNOWN: 'No endpoint with this id in WEBHOOKS_FILE or in Redis',
  WEBHOOKS_TLS_FILE_INVALID: "An endpoint's caFile or clientCertP12File cannot be read or used",
  WEBHOOKS_EVENT_GONE: 'The stream entry of a queued event was trimmed before it could be delivered',
  WEBHOOKS_INTAKE_LOST:
    "Another delivery process took over an endpoint's stream intake; this one stopped reading it",
  WEBHOOKS_INTAKE_HELD:
    'An entry was not queued because an earlier one failed; it is read again, in order, when the intake restarts',
  WEBHOOKS_DEAD_LETTER_UNKNOWN: 'No dead letter and no stream entry with this event id for the endpoint',
});

export type WebhooksErrorCode = CodeOf<typeof WEBHOOKS_ERROR_CODES>;
