/** Every error code the simulator raises, with what it means. */
export const SIM_ERROR_CODES = {
  /** A subscription definition is wrong (bad UUID, push without URL, unknown event name …). */
  SIM_SUBSCRIPTION_INVALID: 'subscription definition is invalid',
  /** Certificates or keys could not be read (run certs/make-dev-certs.sh). */
  SIM_CERTS_MISSING: 'dev certificates are missing or unreadable',
  /** A push delivery failed on every attempt. */
  SIM_PUSH_GAVE_UP: 'push delivery failed on every attempt',
  /** One push attempt failed (network error, non-200, StatusKode other than 20). */
  SIM_PUSH_FAILED: 'push attempt failed',
  /** Publishing to RabbitMQ failed (broker nack or closed channel). */
  SIM_PUBLISH_FAILED: 'publishing to the dueslag queue failed',
  /** An STS request was malformed or not allowed. */
  SIM_STS_REQUEST_INVALID: 'STS request is invalid',
  /** The simulator was used after stop(). */
  SIM_STOPPED: 'the simulator has been stopped',
} as const;

export type SimErrorCode = keyof typeof SIM_ERROR_CODES;
