import { defineErrorCodes, type CodeOf } from '@cprh/errors';

/** Every error code the simulator raises, with what it means. */
export const SIM_ERROR_CODES = defineErrorCodes({
  SIM_SUBSCRIPTION_INVALID:
    'A subscription definition is wrong (bad UUID, push without URL, unknown event name …)',
  SIM_CERTS_MISSING: 'Certificates or keys could not be read (run certs/make-dev-certs.sh)',
  SIM_PUSH_GAVE_UP: 'A push delivery failed on every attempt',
  SIM_PUSH_FAILED: 'One push attempt failed (network error, non-200, StatusKode other than 20)',
  SIM_PUBLISH_FAILED: 'Publishing to RabbitMQ failed (broker nack or closed channel)',
  SIM_BESKED_ID_NOT_FOUND: 'A Haendelsesbesked has no UUID BeskedId to rewrite (`cprh-demo publish --count`)',
  SIM_STS_REQUEST_INVALID: 'An STS request was malformed or not allowed',
  SIM_AMQP_FRONT_FAILED: 'The Beskedfordeler AMQP front could not start (vhost BF not creatable, port taken)',
  SIM_STOPPED: 'The simulator was used after stop()',
  SIM_UNKNOWN_TENANT: 'An emit named a tenant the simulator does not serve',
});

export type SimErrorCode = CodeOf<typeof SIM_ERROR_CODES>;
