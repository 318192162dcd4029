/** Every error code @cprh/receiver raises, with what it means. */
export const receiverErrorCodes = {
  /** RECEIVER_TLS_CERT_FILE, RECEIVER_TLS_KEY_FILE and RECEIVER_CLIENT_CA_FILE are not set. */
  RECEIVER_TLS_NOT_CONFIGURED: 'RECEIVER_TLS_NOT_CONFIGURED',
  /** A certificate, key or CA file cannot be read or holds no PEM of the expected kind. */
  RECEIVER_TLS_FILE_INVALID: 'RECEIVER_TLS_FILE_INVALID',
  /** The server could not listen on RECEIVER_HOST:RECEIVER_PORT (in use, not allowed). */
  RECEIVER_LISTEN_FAILED: 'RECEIVER_LISTEN_FAILED',
  /** Redis did not confirm a write within RECEIVER_STORE_TIMEOUT_MS (the answer was 503). */
  RECEIVER_STORE_TIMEOUT: 'RECEIVER_STORE_TIMEOUT',
} as const;

export type ReceiverErrorCode = keyof typeof receiverErrorCodes;
