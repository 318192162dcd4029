import { defineErrorCodes, type CodeOf } from '@cprh/errors';

/** Every error code @cprh/receiver raises, with what it means. */
export const RECEIVER_ERROR_CODES = defineErrorCodes({
  RECEIVER_TLS_NOT_CONFIGURED:
    'No server certificate: set RECEIVER_TLS_CERT_FILE, RECEIVER_TLS_KEY_FILE and RECEIVER_CLIENT_CA_FILE',
  RECEIVER_TLS_FILE_INVALID:
    'A receiver certificate, key or CA file is unreadable, holds no usable PEM, or the key does not match',
  RECEIVER_LISTEN_FAILED:
    'The push receiver could not listen on RECEIVER_HOST:RECEIVER_PORT (in use, not allowed)',
  RECEIVER_STORE_TIMEOUT: 'Redis did not confirm a push within RECEIVER_STORE_TIMEOUT_MS; the answer was 503',
  RECEIVER_TENANT_PATH_TAKEN:
    "Two tenants of TENANTS_FILE have the same push path (a pushPath equal to another tenant's RECEIVER_PATH/<id>)",
});

export type ReceiverErrorCode = CodeOf<typeof RECEIVER_ERROR_CODES>;
