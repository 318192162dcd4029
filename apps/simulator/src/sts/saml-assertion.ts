import { SignedXml } from 'xml-crypto';
import { xmlEscape as x } from '../xml-escape';

export const SAML_NS = 'urn:oasis:names:tc:SAML:2.0:assertion';
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';

export interface AssertionFacts {
  /** Assertion ID (an NCName: starts with "_"). */
  readonly id: string;
  readonly issuer: string;
  readonly issueInstant: Date;
  readonly notBefore: Date;
  readonly notOnOrAfter: Date;
  /** X509 subject name of the client certificate, e.g. "C=DK,O=…,CN=…,Serial=CVR:…-FID:…". */
  readonly subjectName: string;
  /** The client certificate, base64 DER (holder-of-key confirmation). */
  readonly clientCertBase64: string;
  readonly audience: string;
  readonly cvr: string;
}

function attribute(name: string, value: string): string {
  return (
    `<Attribute Name="${x(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic">` +
    `<AttributeValue>${x(value)}</AttributeValue></Attribute>`
  );
}

/** A privilege list like KOMBIT's (base64 in Privileges_intermediate), granting the CVR everything. */
function privileges(cvr: string): string {
  const xml =
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<bpp:PrivilegeList xmlns:bpp="http://itst.dk/oiosaml/basic_privilege_profile">' +
    `<PrivilegeGroup Scope="urn:dk:gov:saml:cvrNumberIdentifier:${x(cvr)}">` +
    '<Privilege>urn:cpr-haendelser:sim:privilege:all</Privilege></PrivilegeGroup></bpp:PrivilegeList>';
  return Buffer.from(xml, 'utf8').toString('base64');
}

/** The unsigned SAML 2.0 assertion, shaped like the STS's answer (rstr.xml). */
export function assertionXml(f: AssertionFacts): string {
  const iso = (d: Date) => d.toISOString();
  return (
    `<Assertion ID="${x(f.id)}" IssueInstant="${iso(f.issueInstant)}" Version="2.0" xmlns="${SAML_NS}">` +
    `<Issuer>${x(f.issuer)}</Issuer>` +
    `<Subject>` +
    `<NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName">${x(f.subjectName)}</NameID>` +
    `<SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:holder-of-key">` +
    `<SubjectConfirmationData a:type="KeyInfoConfirmationDataType" NotOnOrAfter="${iso(f.notOnOrAfter)}" Recipient="${x(f.audience)}" xmlns:a="http://www.w3.org/2001/XMLSchema-instance">` +
    `<KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>${f.clientCertBase64}</X509Certificate></X509Data></KeyInfo>` +
    `</SubjectConfirmationData></SubjectConfirmation></Subject>` +
    `<Conditions NotBefore="${iso(f.notBefore)}" NotOnOrAfter="${iso(f.notOnOrAfter)}">` +
    `<AudienceRestriction><Audience>${x(f.audience)}</Audience></AudienceRestriction></Conditions>` +
    `<AttributeStatement>` +
    attribute('dk:gov:saml:attribute:CvrNumberIdentifier', f.cvr) +
    attribute('dk:gov:saml:attribute:AssuranceLevel', '1') +
    attribute('dk:gov:saml:attribute:SpecVer', 'DK-SAML-2.0') +
    attribute('dk:gov:saml:attribute:KombitSpecVer', '1.0') +
    attribute('dk:gov:saml:attribute:Privileges_intermediate', privileges(f.cvr)) +
    `</AttributeStatement></Assertion>`
  );
}

/**
 * Signs the assertion with the dev CA's key: enveloped signature after Issuer, exclusive
 * c14n, RSA-SHA256, SHA-256 digest, the signing certificate in KeyInfo.
 */
export function signAssertion(xml: string, key: string, cert: string): string {
  const sig = new SignedXml({
    privateKey: key,
    publicCert: cert,
    signatureAlgorithm: RSA_SHA256,
    canonicalizationAlgorithm: EXC_C14N,
  });
  sig.addReference({
    xpath: `/*[local-name(.)='Assertion']`,
    digestAlgorithm: SHA256,
    transforms: [ENVELOPED, EXC_C14N],
  });
  sig.computeSignature(xml, {
    location: { reference: `/*[local-name(.)='Assertion']/*[local-name(.)='Issuer']`, action: 'after' },
  });
  return sig.getSignedXml();
}
