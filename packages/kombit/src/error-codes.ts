import { defineErrorCodes, type CodeOf } from '@cprh/errors';

/** Every error code @cprh/kombit raises, with what it means. */
export const KOMBIT_ERROR_CODES = defineErrorCodes({
  KOMBIT_AMQP_UNREACHABLE:
    'RabbitMQ did not accept a connection at start-up (wrong AMQP_URL or server not running)',
  KOMBIT_AMQP_REFUSED:
    'The broker refused the login (403 ACCESS_REFUSED): token expired, wrong CVR or audience, certificate not bound',
  KOMBIT_DUESLAG_UNAVAILABLE:
    'The dueslag queue does not exist or may not be declared with the requested properties',
  KOMBIT_CERT_UNREADABLE: 'A certificate, key or CA file is missing or not readable',
  KOMBIT_CERT_PASSWORD: 'Wrong PKCS#12 password, or an encrypted PEM key without or with a wrong passphrase',
  KOMBIT_CERT_INVALID: 'The file is not a PKCS#12 / PEM certificate or key',
  KOMBIT_CERT_EXPIRED: "The function certificate's validity has ended",
  KOMBIT_CERT_NOT_YET_VALID: "The function certificate's validity has not begun",
  KOMBIT_CERT_KEY_MISMATCH: 'The private key does not belong to the certificate',
  KOMBIT_CERT_NOT_CONFIGURED:
    'AMQP_AUTH=sts (or an STS call) without CLIENT_CERT_P12_FILE or CLIENT_CERT_FILE',
  KOMBIT_STS_UNREACHABLE:
    'The STS could not be reached: TCP, TLS handshake (client certificate refused?) or timeout',
  KOMBIT_STS_REFUSED:
    'The STS refused the request (HTTP 4xx) with its error text: CVR, AppliesTo, certificate not registered',
  KOMBIT_STS_FAILED: 'The STS failed (HTTP 5xx or another unexpected status); retried with backoff',
  KOMBIT_STS_MALFORMED: 'The STS answered 200 without a usable assertion or expiry',
  KOMBIT_SERVICE_STATUS:
    'BeskedfordelerService answered with a StandardRetur other than 20 (StatusKode and FejlbeskedTekst in the error)',
  KOMBIT_SOAP_FAULT: 'BeskedfordelerService answered with a SOAP fault',
  KOMBIT_SOAP_TLS_FAILED:
    "The TLS handshake failed: the server's certificate is not trusted, or ours was refused",
  KOMBIT_SOAP_TIMEOUT: 'No answer from BeskedfordelerService within the timeout',
  KOMBIT_SOAP_UNREACHABLE: 'No connection to BeskedfordelerService (refused, unknown host, no route)',
  KOMBIT_SOAP_BAD_RESPONSE:
    'An answer that is not the SOAP answer expected (HTTP error page, missing StandardRetur, …)',
  KOMBIT_WSDL_INVALID: 'The WSDL in wsdl/ cannot be loaded or lacks an operation (a broken installation)',
});

export type KombitErrorCode = CodeOf<typeof KOMBIT_ERROR_CODES>;
