import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_PKI_FILE_NAMES, devPkiFilesIn, type DevPkiFiles } from './dev-pki-layout';
import { repoRoot } from './fixtures';

/** A throw-away dev PKI (certs/make-dev-certs.sh) in a temp dir, plus openssl-made variants. */
export interface DevPki {
  readonly dir: string;
  /** Absolute paths of the PKI's own files (dev-pki-layout.ts). */
  readonly files: DevPkiFiles;
  /** Absolute path of a file in the PKI dir (`ca.crt`, `client.key`, …). */
  path(name: string): string;
  /** The PEM texts of the CA, the server and the client certificate and their keys. */
  pem(): { ca: string; serverCert: string; serverKey: string; clientCert: string; clientKey: string };
  /** The dev client certificate as a function-certificate PEM source, trusting the dev CA. */
  clientPem(): { kind: 'pem'; certFile: string; keyFile: string; caFile: string };
  /** Runs openssl in the PKI dir (quiet); for tests' own variants. */
  openssl(...args: string[]): void;
  /** client.p12 with `password` (OpenSSL 3 defaults: AES-256-CBC, PBKDF2, SHA-256 MAC) and the CA. */
  makeP12(name: string, password: string, legacy?: boolean): string;
  /** A client certificate signed by the dev CA valid from `startDays` to `endDays` (relative to now). */
  makeClientCert(
    name: string,
    opts: { startDays: number; endDays: number; cvr?: string },
  ): { cert: string; key: string };
  remove(): void;
}

const MAKE_DEV_CERTS = join(repoRoot, 'certs', 'make-dev-certs.sh');

export function makeDevPki(cvr = '12345678'): DevPki {
  const dir = mkdtempSync(join(tmpdir(), 'cprh-pki-'));
  execFileSync('bash', [MAKE_DEV_CERTS, dir], { env: { ...process.env, CVR: cvr }, stdio: 'ignore' });
  const path = (name: string): string => join(dir, name);
  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  };
  const files = devPkiFilesIn(dir);
  const N = DEV_PKI_FILE_NAMES;
  return {
    dir,
    files,
    path,
    openssl,
    pem: () => ({
      ca: readFileSync(files.ca, 'utf8'),
      serverCert: readFileSync(files.serverCert, 'utf8'),
      serverKey: readFileSync(files.serverKey, 'utf8'),
      clientCert: readFileSync(files.clientCert, 'utf8'),
      clientKey: readFileSync(files.clientKey, 'utf8'),
    }),
    clientPem: () => ({
      kind: 'pem',
      certFile: files.clientCert,
      keyFile: files.clientKey,
      caFile: files.ca,
    }),
    makeP12(name, password, legacy = false) {
      const extra = legacy ? ['-legacy'] : [];
      openssl(
        'pkcs12',
        '-export',
        ...extra,
        '-in',
        N.clientCert,
        '-inkey',
        N.clientKey,
        '-certfile',
        N.ca,
        '-out',
        name,
        '-passout',
        `pass:${password}`,
      );
      return path(name);
    },
    makeClientCert(name, { startDays, endDays, cvr: c = cvr }) {
      const key = `${name}.key`;
      const cert = `${name}.crt`;
      openssl(
        'req',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        `${name}.csr`,
        '-subj',
        `/C=DK/O=test \\/\\/ CVR:${c}/serialNumber=CVR:${c}-FID:1/CN=${name}`,
      );
      // `openssl ca` is the CLI's way to set both dates; it wants a tiny database.
      writeFileSync(path(`${name}-ca.cnf`), caConfig(dir, name));
      writeFileSync(path(`${name}-index.txt`), '');
      openssl(
        'ca',
        '-batch',
        '-config',
        `${name}-ca.cnf`,
        '-in',
        `${name}.csr`,
        '-out',
        cert,
        '-notext',
        '-startdate',
        opensslDate(startDays),
        '-enddate',
        opensslDate(endDays),
      );
      return { cert: path(cert), key: path(key) };
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function opensslDate(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  return `${d.toISOString().replace(/[-:T]/g, '').slice(2, 14)}Z`;
}

function caConfig(dir: string, name: string): string {
  return [
    '[ca]',
    'default_ca = dev',
    '[dev]',
    `database = ${join(dir, `${name}-index.txt`)}`,
    `new_certs_dir = ${dir}`,
    `certificate = ${DEV_PKI_FILE_NAMES.ca}`,
    `private_key = ${DEV_PKI_FILE_NAMES.caKey}`,
    'rand_serial = yes',
    'default_md = sha256',
    'policy = any',
    'unique_subject = no',
    'copy_extensions = none',
    'x509_extensions = ext',
    '[any]',
    'countryName = optional',
    'organizationName = optional',
    'serialNumber = optional',
    'commonName = supplied',
    '[ext]',
    'basicConstraints = CA:FALSE',
    'keyUsage = critical,digitalSignature,keyEncipherment',
    'extendedKeyUsage = clientAuth',
    '',
  ].join('\n');
}
