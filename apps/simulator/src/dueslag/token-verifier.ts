import type { X509Certificate } from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import { readAssertion } from '@cprh/kombit';

export interface TokenCheck {
  /** PEM of the STS's signing certificate (the dev CA). */
  readonly stsCert: string;
  /** The audience the broker accepts (bfo_modtag). */
  readonly audience: string;
  /** CVRs a token may carry besides the certificate's own: the agreements the STS issues for. */
  readonly agreements?: ReadonlySet<string>;
  readonly now?: () => Date;
}

export type TokenVerdict =
  | { readonly ok: true; readonly cvr: string; readonly notOnOrAfter: Date }
  | { readonly ok: false; readonly reason: string };

const SIGNATURE =
  /<(?:[\w.-]+:)?Signature\b[^>]*xmlns(?::[\w.-]+)?="http:\/\/www\.w3\.org\/2000\/09\/xmldsig#"[\s\S]*?<\/(?:[\w.-]+:)?Signature>/;
const CVR_ATTRIBUTE =
  /<(?:[\w.-]+:)?Attribute\b[^>]*Name="dk:gov:saml:attribute:CvrNumberIdentifier"[^>]*>\s*<(?:[\w.-]+:)?AttributeValue[^>]*>\s*(\d{8})\s*</;
const CONFIRMATION_CERT =
  /<(?:[\w.-]+:)?SubjectConfirmationData\b[\s\S]*?<(?:[\w.-]+:)?X509Certificate>([A-Za-z0-9+/=\s]+)</;
const SKEW_MS = 5_000;

/** CVR of a function certificate's subject (`CVR:nnnnnnnn`, OCES3 `NTRDK-nnnnnnnn`). */
export function certificateCvr(cert: X509Certificate): string | undefined {
  return /(?:CVR:|NTRDK-)(\d{8})/.exec(cert.subject)?.[1];
}

/**
 * What KOMBIT's broker checks in the SASL EXTERNAL response: an STS-signed SAML assertion over the
 * whole Assertion, for our audience, not expired, holder-of-key bound to the TLS client
 * certificate, for that certificate's CVR or one it has an agreement for (a supplier serving
 * several municipalities with one certificate). The reason says which check failed.
 */
export function verifyToken(xml: string, peer: X509Certificate, check: TokenCheck): TokenVerdict {
  const facts = readAssertion(xml);
  if (facts === undefined || facts.id === undefined) return refuse('the response is not a SAML assertion');
  if (!signatureValid(xml, facts.id, check.stsCert)) return refuse('the assertion signature is not valid');
  if (facts.audience !== check.audience) return refuse(`the token is for ${facts.audience ?? 'no audience'}`);
  const now = (check.now ?? (() => new Date()))().getTime();
  if (facts.notOnOrAfter === undefined || facts.notOnOrAfter.getTime() <= now)
    return refuse('the token has expired');
  if (facts.notBefore !== undefined && facts.notBefore.getTime() > now + SKEW_MS) {
    return refuse('the token is not valid yet');
  }
  const bound = CONFIRMATION_CERT.exec(xml)?.[1]?.replace(/\s+/g, '');
  if (bound !== peer.raw.toString('base64'))
    return refuse('the token is not bound to this client certificate');
  const cvr = CVR_ATTRIBUTE.exec(xml)?.[1];
  const certCvr = certificateCvr(peer);
  if (cvr === undefined || (cvr !== certCvr && !(check.agreements?.has(cvr) ?? false)))
    return refuse("the token's CVR is not the certificate's");
  return { ok: true, cvr, notOnOrAfter: facts.notOnOrAfter };
}

function signatureValid(xml: string, id: string, stsCert: string): boolean {
  const signature = SIGNATURE.exec(xml)?.[0];
  if (signature === undefined) return false;
  const sig = new SignedXml({ publicCert: stsCert });
  try {
    sig.loadSignature(signature);
    // The signed reference must be this assertion (no wrapped or partial signatures).
    const refs = sig.getReferences();
    if (refs.length !== 1 || refs[0]?.uri !== `#${id}`) return false;
    return sig.checkSignature(xml);
  } catch {
    return false;
  }
}

function refuse(reason: string): TokenVerdict {
  return { ok: false, reason };
}
