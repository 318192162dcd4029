import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { makeDevPki, type DevPki } from '@cprh/testkit';
import { loadConfig } from '@cprh/config';
import { FunctionCertificate, KombitError, loadFunctionCertificate } from '../src';

const PASSWORD = 'p12-Secret-Word';
const PASSPHRASE = 'key-Secret-Phrase';
let pki: DevPki;

beforeAll(() => {
  pki = makeDevPki('12345678');
});
afterAll(() => pki.remove());

function errorOf(fn: () => unknown): KombitError {
  try {
    fn();
  } catch (err) {
    if (err instanceof KombitError) return err;
    throw err;
  }
  throw new Error('expected a KombitError');
}

/** One line, names the file, carries no secret. */
function expectCertLine(err: KombitError, code: string, file: string): void {
  expect(err.code).toBe(code);
  expect(err.message).toContain(file);
  expect(err.message).not.toMatch(/\n/);
  for (const secret of [PASSWORD, PASSPHRASE, 'PRIVATE KEY', 'wrong-one'])
    expect(err.message).not.toContain(secret);
}

describe('FunctionCertificate', () => {
  it('loads an OpenSSL 3 default PKCS#12 (AES-256/PBKDF2, SHA-256 MAC): subject, CVR, expiry, UseKey, TLS material', () => {
    const p12 = pki.makeP12('modern.p12', PASSWORD);
    const cert = FunctionCertificate.load({ kind: 'p12', p12File: p12, password: PASSWORD });
    const pem = new X509Certificate(readFileSync(pki.path('client.crt')));
    expect(cert.subject).toContain('serialNumber=CVR:12345678-FID:10000001');
    expect(cert.cvr).toBe('12345678');
    expect(cert.notAfter.toISOString()).toBe(new Date(pem.validTo).toISOString());
    expect(cert.useKey()).toBe(pem.raw.toString('base64'));
    expect(cert.useKey()).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const tls = cert.tls();
    expect(new X509Certificate(tls.cert).fingerprint256).toBe(pem.fingerprint256);
    // The dev CA in the p12 is a self-signed root: not sent as chain.
    expect(tls.cert.match(/BEGIN CERTIFICATE/g)).toHaveLength(1);
    expect(pem.checkPrivateKey(createPrivateKey(tls.key))).toBe(true);
    expect(tls.ca).toBeUndefined();
  });

  it('loads a legacy (3DES/RC2) PKCS#12', () => {
    const p12 = pki.makeP12('legacy.p12', PASSWORD, true);
    expect(FunctionCertificate.load({ kind: 'p12', p12File: p12, password: PASSWORD }).cvr).toBe('12345678');
  });

  it('loads PEM, plain and with an encrypted key; CA_FILE adds to the system CAs', () => {
    const plain = FunctionCertificate.load({
      kind: 'pem',
      certFile: pki.path('client.crt'),
      keyFile: pki.path('client.key'),
      caFile: pki.path('ca.crt'),
    });
    expect(plain.cvr).toBe('12345678');
    const ca = plain.tls().ca ?? [];
    expect(ca.length).toBeGreaterThan(1);
    expect(ca.at(-1)?.trim()).toBe(readFileSync(pki.path('ca.crt'), 'utf8').trim());

    pki.openssl('pkey', '-in', 'client.key', '-aes256', '-passout', `pass:${PASSPHRASE}`, '-out', 'enc.key');
    const enc = FunctionCertificate.load({
      kind: 'pem',
      certFile: pki.path('client.crt'),
      keyFile: pki.path('enc.key'),
      keyPassphrase: PASSPHRASE,
    });
    expect(enc.fingerprint256).toBe(plain.fingerprint256);
  });

  it('never shows the key when logged or serialised', () => {
    const cert = FunctionCertificate.load({
      kind: 'pem',
      certFile: pki.path('client.crt'),
      keyFile: pki.path('client.key'),
    });
    const key = readFileSync(pki.path('client.key'), 'utf8');
    const keyBody = key.split('\n')[1] ?? 'x';
    for (const text of [inspect(cert, { depth: 5 }), JSON.stringify(cert), JSON.stringify({ ...cert })]) {
      expect(text).not.toContain('PRIVATE KEY');
      expect(text).not.toContain(keyBody);
    }
    expect(JSON.stringify(cert)).toContain('12345678');
  });

  it('wrong PKCS#12 password: one line naming the file', () => {
    const p12 = pki.makeP12('pw.p12', PASSWORD);
    const err = errorOf(() => FunctionCertificate.load({ kind: 'p12', p12File: p12, password: 'wrong-one' }));
    expectCertLine(err, 'KOMBIT_CERT_PASSWORD', p12);
    expect(err.message).toMatch(/wrong password/);
  });

  it('encrypted PEM key without or with a wrong passphrase', () => {
    pki.openssl('pkey', '-in', 'client.key', '-aes256', '-passout', `pass:${PASSPHRASE}`, '-out', 'enc2.key');
    const base = { kind: 'pem', certFile: pki.path('client.crt'), keyFile: pki.path('enc2.key') } as const;
    expectCertLine(
      errorOf(() => FunctionCertificate.load(base)),
      'KOMBIT_CERT_PASSWORD',
      pki.path('enc2.key'),
    );
    const wrong = errorOf(() => FunctionCertificate.load({ ...base, keyPassphrase: 'wrong-one' }));
    expectCertLine(wrong, 'KOMBIT_CERT_PASSWORD', pki.path('enc2.key'));
  });

  it('expired and not-yet-valid certificates', () => {
    const old = pki.makeClientCert('expired', { startDays: -30, endDays: -1 });
    const expired = errorOf(() =>
      FunctionCertificate.load({ kind: 'pem', certFile: old.cert, keyFile: old.key }),
    );
    expectCertLine(expired, 'KOMBIT_CERT_EXPIRED', old.cert);
    expect(expired.message).toMatch(/expired on \d{4}-/);

    const future = pki.makeClientCert('future', { startDays: 2, endDays: 30 });
    const early = errorOf(() =>
      FunctionCertificate.load({ kind: 'pem', certFile: future.cert, keyFile: future.key }),
    );
    expectCertLine(early, 'KOMBIT_CERT_NOT_YET_VALID', future.cert);
  });

  it('warns within 30 days of expiry', () => {
    const soon = pki.makeClientCert('soon', { startDays: -1, endDays: 10 });
    const cert = FunctionCertificate.load({ kind: 'pem', certFile: soon.cert, keyFile: soon.key });
    expect(cert.daysLeft()).toBe(9);
    expect(cert.expiresSoon()).toBe(true);
  });

  it('a key that does not match the certificate', () => {
    const other = pki.makeClientCert('other', { startDays: -1, endDays: 100 });
    const err = errorOf(() =>
      FunctionCertificate.load({ kind: 'pem', certFile: pki.path('client.crt'), keyFile: other.key }),
    );
    expectCertLine(err, 'KOMBIT_CERT_KEY_MISMATCH', other.key);
    expect(err.message).toContain(pki.path('client.crt'));

    // A PKCS#12 whose certificate is not the key's.
    pki.openssl(
      'pkcs12',
      '-export',
      '-nocerts',
      '-certfile',
      'client.crt',
      '-inkey',
      'other.key',
      '-out',
      'mismatch.p12',
      '-passout',
      `pass:${PASSWORD}`,
    );
    const p12err = errorOf(() =>
      FunctionCertificate.load({ kind: 'p12', p12File: pki.path('mismatch.p12'), password: PASSWORD }),
    );
    expectCertLine(p12err, 'KOMBIT_CERT_KEY_MISMATCH', pki.path('mismatch.p12'));
  });

  it('missing files and files that are not certificates', () => {
    const missing = pki.path('nope.p12');
    expectCertLine(
      errorOf(() => FunctionCertificate.load({ kind: 'p12', p12File: missing, password: PASSWORD })),
      'KOMBIT_CERT_UNREADABLE',
      missing,
    );
    const junk = pki.path('junk.p12');
    writeFileSync(junk, 'not a certificate at all');
    expectCertLine(
      errorOf(() => FunctionCertificate.load({ kind: 'p12', p12File: junk, password: PASSWORD })),
      'KOMBIT_CERT_INVALID',
      junk,
    );
    expectCertLine(
      errorOf(() =>
        FunctionCertificate.load({ kind: 'pem', certFile: junk, keyFile: pki.path('client.key') }),
      ),
      'KOMBIT_CERT_INVALID',
      junk,
    );
  });

  it('loads from the clientCert settings, and says what to set when none is configured', () => {
    const p12 = pki.makeP12('env.p12', PASSWORD);
    const config = loadConfig(['clientCert'], {
      CLIENT_CERT_P12_FILE: p12,
      CLIENT_CERT_P12_PASSWORD: PASSWORD,
      CA_FILE: pki.path('ca.crt'),
    });
    expect(loadFunctionCertificate(config.clientCert).cvr).toBe('12345678');
    const none = errorOf(() => loadFunctionCertificate(loadConfig(['clientCert'], {}).clientCert));
    expect(none.code).toBe('KOMBIT_CERT_NOT_CONFIGURED');
    expect(none.message).toMatch(/CLIENT_CERT_P12_FILE/);
  });
});
