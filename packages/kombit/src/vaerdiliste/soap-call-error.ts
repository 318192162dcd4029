import { KombitError } from '../kombit-error';
import type { KombitErrorCode } from '../error-codes';
import { maskCprNumbers } from '@cprh/besked';

/*
 * Turns what `soap` (axios underneath) throws into a KombitError with its own code. The cause is
 * a fresh Error with only the code and a redacted message: the original error holds the request
 * body (CPR numbers) and the agent options (the private key) and must go nowhere.
 */

const TLS_CODES = new Set([
  'EPROTO',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REVOKED',
]);
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);

interface Thrown {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  root?: { Envelope?: { Body?: { Fault?: Record<string, unknown> } } };
  response?: { status?: unknown };
}

function codeOf(err: Thrown): string {
  const inner = (err.cause ?? {}) as Thrown;
  for (const c of [inner.code, err.code]) if (typeof c === 'string' && c !== 'ERR_BAD_RESPONSE') return c;
  return '';
}

function plainCause(code: string, message: string): Error {
  return Object.assign(new Error(maskCprNumbers(message)), code === '' ? {} : { code });
}

function faultText(fault: Record<string, unknown>): string {
  const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined ? '' : JSON.stringify(v));
  return maskCprNumbers(`${str(fault.faultcode)} ${str(fault.faultstring)}`.trim()).slice(0, 300);
}

/** What kind of failure `err` is, as code and a one-line reason (no request data in it). */
function classify(
  err: Thrown,
  message: string,
  timeoutMs: number,
): { code: KombitErrorCode; reason: string; inner: string } {
  const inner = codeOf(err);
  const fault = err.root?.Envelope?.Body?.Fault;
  if (fault) return { code: 'KOMBIT_SOAP_FAULT', reason: `SOAP fault ${faultText(fault)}`, inner };
  if (TIMEOUT_CODES.has(inner) || /timeout/i.test(message)) {
    return { code: 'KOMBIT_SOAP_TIMEOUT', reason: `no answer within ${timeoutMs} ms`, inner };
  }
  if (TLS_CODES.has(inner) || inner.startsWith('ERR_SSL_') || inner.startsWith('ERR_TLS_')) {
    return {
      code: 'KOMBIT_SOAP_TLS_FAILED',
      reason: `TLS failed (${inner}): ${maskCprNumbers(message)}`,
      inner,
    };
  }
  if (UNREACHABLE_CODES.has(inner)) {
    return { code: 'KOMBIT_SOAP_UNREACHABLE', reason: `cannot connect (${inner})`, inner };
  }
  if (inner === 'ECONNRESET' || /socket hang up/i.test(message)) {
    // A server that refuses the client certificate after a TLS 1.3 handshake just drops the line.
    return {
      code: 'KOMBIT_SOAP_TLS_FAILED',
      reason: `connection closed by the server (${inner || 'hang up'}); is the client certificate accepted?`,
      inner,
    };
  }
  const status = typeof err.response?.status === 'number' ? ` (HTTP ${err.response.status})` : '';
  return {
    code: 'KOMBIT_SOAP_BAD_RESPONSE',
    reason: `unusable answer${status}: ${maskCprNumbers(message).slice(0, 200)}`,
    inner,
  };
}

export function soapCallError(
  operation: string,
  endpoint: string,
  err: unknown,
  timeoutMs: number,
): KombitError {
  if (err instanceof KombitError) return err;
  const thrown = (err ?? {}) as Thrown;
  const message = typeof thrown.message === 'string' ? thrown.message : String(err);
  const { code, reason, inner } = classify(thrown, message, timeoutMs);
  return new KombitError(code, `${operation} at ${endpoint}: ${reason}`, {
    cause: plainCause(inner, message),
  });
}
