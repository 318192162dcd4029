import type { PeerCertificate } from 'node:tls';
import type { AllowedSubject } from '@cprh/config';

/**
 * RECEIVER_ALLOWED_SUBJECTS: when the list is empty every certificate of RECEIVER_CLIENT_CA_FILE may
 * call; otherwise the leaf's subject CN or SHA-256 fingerprint must be listed.
 */
export function isAllowedClient(
  cert: PeerCertificate | undefined,
  allowed: readonly AllowedSubject[],
): boolean {
  if (allowed.length === 0) return true;
  if (cert === undefined || cert.fingerprint256 === undefined) return false;
  const fingerprint = cert.fingerprint256.replace(/:/g, '').toUpperCase();
  const cnValue: unknown = cert.subject?.CN;
  const cns = Array.isArray(cnValue) ? cnValue.map(String) : typeof cnValue === 'string' ? [cnValue] : [];
  return allowed.some((a) => (a.kind === 'fingerprint' ? a.sha256 === fingerprint : cns.includes(a.cn)));
}

/** The subject as one line (`C=DK, O=…, CN=…`) for the inbox's channel record. */
export function subjectLine(cert: PeerCertificate | undefined): string | undefined {
  if (cert?.subject === undefined) return undefined;
  return Object.entries(cert.subject)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : String(v)}`)
    .join(', ');
}
