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
  /** A certificate, key or CA file is missing or not readable. */
  KOMBIT_CERT_UNREADABLE: 'KOMBIT_CERT_UNREADABLE',
  /** Wrong PKCS#12 password, or an encrypted PEM key without or with a wrong passphrase. */
  KOMBIT_CERT_PASSWORD: 'KOMBIT_CERT_PASSWORD',
  /** The file is not a PKCS#12 / PEM certificate or key. */
  KOMBIT_CERT_INVALID: 'KOMBIT_CERT_INVALID',
  /** The function certificate's validity has ended. */
  KOMBIT_CERT_EXPIRED: 'KOMBIT_CERT_EXPIRED',
  /** The function certificate's validity has not begun. */
  KOMBIT_CERT_NOT_YET_VALID: 'KOMBIT_CERT_NOT_YET_VALID',
  /** The private key does not belong to the certificate. */
  KOMBIT_CERT_KEY_MISMATCH: 'KOMBIT_CERT_KEY_MISMATCH',
  /** AMQP_AUTH=sts (or an STS call) without CLIENT_CERT_P12_FILE or CLIENT_CERT_FILE. */
  KOMBIT_CERT_NOT_CONFIGURED: 'KOMBIT_CERT_NOT_CONFIGURED',
  /** The STS could not be reached: TCP, TLS handshake (client certificate refused?) or timeout. */
  KOMBIT_STS_UNREACHABLE: 'KOMBIT_STS_UNREACHABLE',
  /** The STS refused the request (HTTP 4xx) with its error text: CVR, AppliesTo, certificate not registered. */
  KOMBIT_STS_REFUSED: 'KOMBIT_STS_REFUSED',
  /** The STS failed (HTTP 5xx or another unexpected status); retried with backoff. */
  KOMBIT_STS_FAILED: 'KOMBIT_STS_FAILED',
  /** The STS answered 200 without a usable assertion or expiry. */
  KOMBIT_STS_MALFORMED: 'KOMBIT_STS_MALFORMED',
  /** BeskedfordelerService answered with a StandardRetur other than 20 (StatusKode and FejlbeskedTekst in the error). */
  KOMBIT_SERVICE_STATUS: 'KOMBIT_SERVICE_STATUS',
  /** BeskedfordelerService answered with a SOAP fault. */
  KOMBIT_SOAP_FAULT: 'KOMBIT_SOAP_FAULT',
  /** The TLS handshake failed: the server's certificate is not trusted, or ours was refused. */
  KOMBIT_SOAP_TLS_FAILED: 'KOMBIT_SOAP_TLS_FAILED',
  /** No answer from BeskedfordelerService within the timeout. */
  KOMBIT_SOAP_TIMEOUT: 'KOMBIT_SOAP_TIMEOUT',
  /** No connection to BeskedfordelerService (refused, unknown host, no route). */
  KOMBIT_SOAP_UNREACHABLE: 'KOMBIT_SOAP_UNREACHABLE',
  /** An answer that is not the SOAP answer expected (HTTP error page, missing StandardRetur, …). */
  KOMBIT_SOAP_BAD_RESPONSE: 'KOMBIT_SOAP_BAD_RESPONSE',
  /** The WSDL in wsdl/ cannot be loaded or lacks an operation (a broken installation). */
  KOMBIT_WSDL_INVALID: 'KOMBIT_WSDL_INVALID',
} as const;

export type KombitErrorCode = keyof typeof kombitErrorCodes;
