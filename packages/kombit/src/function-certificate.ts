import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { inspect } from 'node:util';
import type { ClientCertSource } from '@cprh/config';
import { KombitError } from './kombit-error';
import type { KombitErrorCode } from './error-codes';
import { Pkcs12Error, readPkcs12 } from './pkcs12-reader';

/** What a TLS client (undici, tls.connect, amqplib) needs to present the certificate and trust the server. */
export interface TlsClientMaterial {
  /** PEM: the certificate followed by any intermediates from the PKCS#12 file. */
  readonly cert: string;
  /** PEM, unencrypted, in memory only. */
  readonly key: string;
  /** PEM CAs: the system's plus CA_FILE's; undefined = Node's defaults (no CA_FILE). */
  readonly ca: string[] | undefined;
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const WARN_DAYS = 30;

/**
 * The organisation's function certificate (OCES), loaded and checked once: readable, right
 * password, currently valid, key matches. Errors name the file, never a password or key. The
 * private key is kept out of `inspect`/JSON so logging this object cannot leak it.
 */
export class FunctionCertificate {
  readonly #key: KeyObject;
  readonly #chain: string[];
  readonly #ca: string[] | undefined;

  private constructor(
    readonly file: string,
    private readonly x509: X509Certificate,
    key: KeyObject,
    chain: string[],
    ca: string[] | undefined,
  ) {
    this.#key = key;
    this.#chain = chain;
    this.#ca = ca;
  }

  /** Loads and checks; throws a one-line KombitError (KOMBIT_CERT_*) naming the file. */
  static load(source: ClientCertSource, now: Date = new Date()): FunctionCertificate {
    const loaded = source.kind === 'p12' ? loadP12(source.p12File, source.password) : loadPem(source);
    const file = source.kind === 'p12' ? source.p12File : source.certFile;
    const ca = source.caFile === undefined ? undefined : [...rootCertificates, ...readCaFile(source.caFile)];
    const cert = new FunctionCertificate(file, loaded.x509, loaded.key, loaded.chain, ca);
    cert.checkValidity(now);
    return cert;
  }

  /** The subject as one line, e.g. `C=DK, O=… // CVR:12345678, serialNumber=CVR:12345678-FID:…, CN=…`. */
  get subject(): string {
    return this.x509.subject.split('\n').join(', ');
  }

  get issuer(): string {
    return this.x509.issuer.split('\n').join(', ');
  }

  /** The organisation's CVR from the subject (OCES2 `CVR:nnnnnnnn`, OCES3 `NTRDK-nnnnnnnn`), if any. */
  get cvr(): string | undefined {
    return /(?:CVR:|NTRDK-)(\d{8})/.exec(this.x509.subject)?.[1];
  }

  get notBefore(): Date {
    return new Date(this.x509.validFrom);
  }

  get notAfter(): Date {
    return new Date(this.x509.validTo);
  }

  get fingerprint256(): string {
    return this.x509.fingerprint256;
  }

  /** Whole days until expiry (negative once expired). */
  daysLeft(now: Date = new Date()): number {
    return Math.floor((this.notAfter.getTime() - now.getTime()) / 86_400_000);
  }

  /** True when it expires within 30 days: start-up logs a warning then. */
  expiresSoon(now: Date = new Date()): boolean {
    return this.daysLeft(now) < WARN_DAYS;
  }

  /** The certificate as one base64 DER line: the STS request's UseKey. */
  useKey(): string {
    return this.x509.raw.toString('base64');
  }

  /** Certificate, key and CAs for a TLS client. Pass it straight to the client; never log it. */
  tls(): TlsClientMaterial {
    const key = this.#key.export({ type: 'pkcs8', format: 'pem' }).toString();
    return { cert: [this.x509.toString(), ...this.#chain].join(''), key, ca: this.#ca };
  }

  /** What start-up logs: subject, CVR, expiry; nothing secret. */
  describe(): { file: string; subject: string; cvr: string | undefined; notAfter: string; daysLeft: number } {
    return {
      file: this.file,
      subject: this.subject,
      cvr: this.cvr,
      notAfter: this.notAfter.toISOString(),
      daysLeft: this.daysLeft(),
    };
  }

  toJSON(): ReturnType<FunctionCertificate['describe']> {
    return this.describe();
  }

  [inspect.custom](): string {
    return `FunctionCertificate(${this.subject}, until ${this.notAfter.toISOString()})`;
  }

  private checkValidity(now: Date): void {
    if (now < this.notBefore) {
      fail('KOMBIT_CERT_NOT_YET_VALID', this.file, `is not valid before ${this.notBefore.toISOString()}`);
    }
    if (now > this.notAfter)
      fail('KOMBIT_CERT_EXPIRED', this.file, `expired on ${this.notAfter.toISOString()}`);
  }
}

interface Loaded {
  x509: X509Certificate;
  key: KeyObject;
  chain: string[];
}

function loadP12(file: string, password: string): Loaded {
  const der = readOrFail(file, 'function certificate');
  let contents;
  try {
    contents = readPkcs12(der, password);
  } catch (err) {
    if (!(err instanceof Pkcs12Error)) throw err;
    if (err.reason === 'wrong-password') {
      fail('KOMBIT_CERT_PASSWORD', file, 'cannot be opened: wrong password (CLIENT_CERT_P12_PASSWORD)');
    }
    fail('KOMBIT_CERT_INVALID', file, 'is not a PKCS#12 file');
  }
  if (contents.keyPem === undefined) fail('KOMBIT_CERT_INVALID', file, 'holds no private key');
  const key = createPrivateKey(contents.keyPem);
  const certs = contents.certificates.map((pem) => new X509Certificate(pem));
  // The function certificate is the one the key belongs to; the others are its chain.
  const leaf = certs.find((c) => c.checkPrivateKey(key));
  if (leaf === undefined)
    fail('KOMBIT_CERT_KEY_MISMATCH', file, 'holds no certificate matching its private key');
  return { x509: leaf, key, chain: intermediates(certs.filter((c) => c !== leaf)) };
}

function loadPem(source: Extract<ClientCertSource, { kind: 'pem' }>): Loaded {
  const certText = readOrFail(source.certFile, 'function certificate').toString('utf8');
  const pems = certText.match(PEM_CERT) ?? [];
  const first = pems[0];
  if (first === undefined) fail('KOMBIT_CERT_INVALID', source.certFile, 'holds no PEM certificate');
  const x509 = parseCert(first, source.certFile);
  const key = readKey(source.keyFile, source.keyPassphrase);
  if (!x509.checkPrivateKey(key)) {
    fail('KOMBIT_CERT_KEY_MISMATCH', source.keyFile, `does not match the certificate in ${source.certFile}`);
  }
  const rest = pems.slice(1).map((p) => parseCert(p, source.certFile));
  return { x509, key, chain: intermediates(rest) };
}

function readKey(file: string, passphrase: string | undefined): KeyObject {
  const pem = readOrFail(file, 'private key');
  const encrypted = /ENCRYPTED/.test(pem.toString('latin1', 0, 200));
  if (encrypted && passphrase === undefined) {
    fail('KOMBIT_CERT_PASSWORD', file, 'is encrypted: set CLIENT_KEY_PASSPHRASE');
  }
  try {
    return createPrivateKey(passphrase === undefined ? { key: pem } : { key: pem, passphrase });
  } catch {
    // Node's message may quote parts of the input; say only what is wrong.
    if (encrypted) fail('KOMBIT_CERT_PASSWORD', file, 'cannot be decrypted: wrong CLIENT_KEY_PASSPHRASE');
    fail('KOMBIT_CERT_INVALID', file, 'is not a PEM private key');
  }
}

function parseCert(pem: string, file: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch {
    fail('KOMBIT_CERT_INVALID', file, 'holds a certificate that cannot be parsed');
  }
}

/** The chain to send along: CA certificates that are not self-signed roots. */
function intermediates(certs: X509Certificate[]): string[] {
  return certs.filter((c) => !c.checkIssued(c) || !c.verify(c.publicKey)).map((c) => c.toString());
}

function readCaFile(file: string): string[] {
  const text = readOrFail(file, 'CA file (CA_FILE)').toString('utf8');
  const pems = text.match(PEM_CERT) ?? [];
  if (pems.length === 0) fail('KOMBIT_CERT_INVALID', file, 'holds no PEM certificate (CA_FILE)');
  for (const p of pems) parseCert(p, file);
  return pems.map((p) => `${p}\n`);
}

function readOrFail(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    fail('KOMBIT_CERT_UNREADABLE', file, `(${what}) cannot be read: ${code}`);
  }
}

function fail(code: KombitErrorCode, file: string, problem: string): never {
  throw new KombitError(code, `${file} ${problem}`);
}

/** Loads the configured function certificate (the `clientCert` section); a one-line error when none is set. */
export function loadFunctionCertificate(
  settings: { source: ClientCertSource | undefined },
  now: Date = new Date(),
): FunctionCertificate {
  if (settings.source === undefined) {
    throw new KombitError(
      'KOMBIT_CERT_NOT_CONFIGURED',
      'no function certificate: set CLIENT_CERT_P12_FILE (+ CLIENT_CERT_P12_PASSWORD) or CLIENT_CERT_FILE + CLIENT_KEY_FILE',
    );
  }
  return FunctionCertificate.load(settings.source, now);
}
