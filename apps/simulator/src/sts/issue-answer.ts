import { randomUUID } from 'node:crypto';
import type { PeerCertificate } from 'node:tls';
import type { CertBundle } from '../certificates';
import { PUBLIC_KEY_TYPE, SAML2_TOKEN_TYPE, WSTRUST_ISSUE, type IssueRequest } from './issue-request';
import { assertionXml, signAssertion } from './saml-assertion';

/** "%m/%d/%Y %H:%M:%S" in UTC, the STS REST answer's lifetime format. */
export function stsLifetimeFormat(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

/** The subject as the STS writes it: "C=DK,O=…,CN=…,Serial=…". */
export function subjectName(cert: PeerCertificate): string {
  const s = cert.subject as unknown as Record<string, string | string[] | undefined>;
  const one = (k: string) => {
    const v = s[k];
    return Array.isArray(v) ? v.join('+') : v;
  };
  return [
    ['C', one('C')],
    ['O', one('O')],
    ['CN', one('CN')],
    ['Serial', one('serialNumber')],
  ]
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** The STS REST answer (STS.json's shape) with a signed SAML 2.0 assertion valid from `created`. */
export function issueAnswer(
  request: IssueRequest,
  peer: PeerCertificate,
  opts: { certs: CertBundle; issuer: string; lifetimeSeconds: number; created: Date },
): Record<string, unknown> {
  const { created, certs } = opts;
  const expires = new Date(created.getTime() + opts.lifetimeSeconds * 1000);
  const assertion = signAssertion(
    assertionXml({
      id: `_${randomUUID()}`,
      issuer: opts.issuer,
      issueInstant: created,
      notBefore: created,
      notOnOrAfter: expires,
      subjectName: subjectName(peer),
      clientCertBase64: request.certBase64,
      audience: request.audience,
      cvr: request.cvr,
    }),
    certs.caKey,
    certs.ca,
  );
  return {
    TokenType: SAML2_TOKEN_TYPE,
    RequestType: WSTRUST_ISSUE,
    KeyType: PUBLIC_KEY_TYPE,
    AppliesTo: { EndpointReference: { Address: request.audience } },
    // STS.json: Lifetime is a string, the expiry as MM/DD/YYYY HH:MM:SS in UTC.
    Lifetime: stsLifetimeFormat(expires),
    RequestedSecurityToken: { Assertion: Buffer.from(assertion, 'utf8').toString('base64') },
  };
}
