import type { PeerCertificate } from 'node:tls';
import type { AllowedSubject } from '@cprh/config';

/** Who called, read once per connection from its client certificate. */
export interface ClientIdentity {
  /** The subject as one line (`C=DK, O=…, CN=…`), for the inbox's channel record and logs. */
  readonly subject: string | undefined;
  /** As Node gives it (`AB:CD:…`). */
  readonly fingerprint256: string | undefined;
  /** The subject's CNs. */
  readonly cns: readonly string[];
}

export function clientIdentity(cert: PeerCertificate | undefined): ClientIdentity {
  const cnValue: unknown = cert?.subject?.CN;
  const cns = Array.isArray(cnValue) ? cnValue.map(String) : typeof cnValue === 'string' ? [cnValue] : [];
  return { subject: subjectLine(cert), fingerprint256: cert?.fingerprint256, cns };
}

/**
 * RECEIVER_ALLOWED_SUBJECTS: when the list is empty every certificate of RECEIVER_CLIENT_CA_FILE may
 * call; otherwise the leaf's subject CN or SHA-256 fingerprint must be listed.
 */
export function isAllowedClient(client: ClientIdentity, allowed: readonly AllowedSubject[]): boolean {
  if (allowed.length === 0) return true;
  if (client.fingerprint256 === undefined) return false;
  const fingerprint = client.fingerprint256.replace(/:/g, '').toUpperCase();
  return allowed.some((a) =>
    a.kind === 'fingerprint' ? a.sha256 === fingerprint : client.cns.includes(a.cn),
  );
}

/** The subject as one line (`C=DK, O=…, CN=…`) for the inbox's channel record. */
function subjectLine(cert: PeerCertificate | undefined): string | undefined {
  if (cert?.subject === undefined) return undefined;
  return Object.entries(cert.subject)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : String(v)}`)
    .join(', ');
}
