import forge from 'node-forge';

/** What a PKCS#12 file holds, as PEM: every certificate and the (first) private key. */
export interface Pkcs12Contents {
  certificates: string[];
  keyPem: string | undefined;
}

export type Pkcs12Failure = 'wrong-password' | 'malformed';

/**
 * Unpacks a PKCS#12 file with node-forge (handles OpenSSL 3's default AES-256-CBC/PBKDF2 bags with
 * a SHA-256 MAC as well as the legacy 3DES/RC2 ones). Throws a Pkcs12Error whose reason tells a
 * wrong password from a file that is not PKCS#12; forge's own messages never carry key material.
 */
export function readPkcs12(der: Buffer, password: string): Pkcs12Contents {
  let asn1: forge.asn1.Asn1;
  try {
    asn1 = forge.asn1.fromDer(forge.util.createBuffer(der.toString('binary')));
  } catch {
    throw new Pkcs12Error('malformed');
  }
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(asn1, password);
  } catch (err) {
    const msg = (err as Error).message;
    // forge says "MAC could not be verified. Invalid password?" or fails to decrypt a bag.
    throw new Pkcs12Error(/password|MAC|decrypt/i.test(msg) ? 'wrong-password' : 'malformed');
  }
  const certificates = bagsOf(p12, forge.pki.oids.certBag)
    .map((b) => b.cert)
    .filter((c): c is forge.pki.Certificate => c !== undefined)
    .map((c) => forge.pki.certificateToPem(c));
  const keyBag = [
    ...bagsOf(p12, forge.pki.oids.pkcs8ShroudedKeyBag),
    ...bagsOf(p12, forge.pki.oids.keyBag),
  ].find((b) => b.key !== undefined);
  const keyPem = keyBag?.key ? forge.pki.privateKeyToPem(keyBag.key) : undefined;
  return { certificates, keyPem };
}

function bagsOf(p12: forge.pkcs12.Pkcs12Pfx, type: string | undefined): forge.pkcs12.Bag[] {
  if (type === undefined) return [];
  return p12.getBags({ bagType: type })[type] ?? [];
}

export class Pkcs12Error extends Error {
  constructor(readonly reason: Pkcs12Failure) {
    super(reason === 'wrong-password' ? 'wrong password' : 'not a PKCS#12 file');
    this.name = 'Pkcs12Error';
  }
}
