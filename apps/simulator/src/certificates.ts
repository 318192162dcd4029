import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
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
  const abs = resolveCertsDir(dir);
  if (opts.create && !existsSync(join(abs, 'client.crt'))) makeDevCerts(abs);
  const read = (name: string): string => {
    try {
      return readFileSync(join(abs, name), 'utf8');
    } catch (err) {
      throw new SimError('SIM_CERTS_MISSING', `cannot read ${name} in ${abs}: run certs/make-dev-certs.sh`, {
        cause: err,
      });
    }
  };
  return {
    ca: read('ca.crt'),
    caKey: read('ca.key'),
    serverCert: read('server.crt'),
    serverKey: read('server.key'),
    clientCert: read('client.crt'),
    clientKey: read('client.key'),
  };
}
