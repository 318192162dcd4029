/** Every error code @cprh/kombit raises, with what it means. */
export const kombitErrorCodes = {
  /** RabbitMQ did not accept a connection at start-up (wrong AMQP_URL or server not running). */
  KOMBIT_AMQP_UNREACHABLE: 'KOMBIT_AMQP_UNREACHABLE',
  /** The dueslag queue does not exist or may not be declared with the requested properties. */
  KOMBIT_DUESLAG_UNAVAILABLE: 'KOMBIT_DUESLAG_UNAVAILABLE',
  /** RabbitMQ refused or dropped published messages (no publisher confirm). */
  KOMBIT_PUBLISH_FAILED: 'KOMBIT_PUBLISH_FAILED',
  /** A Haendelsesbesked has no UUID BeskedId to rewrite (`cprh publish --count`). */
  KOMBIT_BESKED_ID_NOT_FOUND: 'KOMBIT_BESKED_ID_NOT_FOUND',
} as const;

export type KombitErrorCode = keyof typeof kombitErrorCodes;
