import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { devPkiFilesIn, type DevPkiFiles } from '@cprh/testkit/dev-pki-layout';
import { SimError } from './sim-error';

/** PEM material of the dev PKI (certs/make-dev-certs.sh). */
export interface CertBundle {
  readonly ca: string;
  readonly caKey: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
}

/**
 * The dev PKI's files in `dir` (the layout is testkit's dev-pki-layout.ts). `dir` is taken as
 * resolveCertsDir does.
 */
export function devPkiFiles(dir: string): DevPkiFiles & { readonly dir: string } {
  const abs = resolveCertsDir(dir);
  return { dir: abs, ...devPkiFilesIn(abs) };
}

/** certs/make-dev-certs.sh in this repository. */
export const MAKE_DEV_CERTS = join(__dirname, '..', '..', '..', 'certs', 'make-dev-certs.sh');
const REPO_ROOT = join(__dirname, '..', '..', '..');

/** A relative certs dir is taken from the repository root, so `cprh` works from any folder. */
export function resolveCertsDir(dir: string): string {
  return isAbsolute(dir) ? dir : resolve(REPO_ROOT, dir);
}

/** Runs the openssl script to make the dev PKI in `dir` (kept if it exists). */
export function makeDevCerts(dir: string): void {
  try {
    execFileSync(MAKE_DEV_CERTS, [dir], { stdio: 'pipe', timeout: 60_000 });
  } catch (err) {
    throw new SimError('SIM_CERTS_MISSING', `could not make dev certificates in ${dir}`, { cause: err });
  }
}

export function loadCerts(dir: string, opts: { create?: boolean } = {}): CertBundle {
  const files = devPkiFiles(dir);
  if (opts.create && !existsSync(files.clientCert)) makeDevCerts(files.dir);
  const read = (file: string): string => {
    try {
      return readFileSync(file, 'utf8');
    } catch (err) {
      throw new SimError('SIM_CERTS_MISSING', `cannot read ${file}: run certs/make-dev-certs.sh`, {
        cause: err,
      });
    }
  };
  return {
    ca: read(files.ca),
    caKey: read(files.caKey),
    serverCert: read(files.serverCert),
    serverKey: read(files.serverKey),
    clientCert: read(files.clientCert),
    clientKey: read(files.clientKey),
  };
}
