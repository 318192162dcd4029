import { readFileSync } from 'node:fs';
import { makeDevPki } from './dev-pki';

/** PEM texts of a dev PKI (the shape of the simulator's CertBundle). */
export interface PemBundle {
  readonly ca: string;
  readonly caKey: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
}

/** A test's own dev PKI (makeDevPki) read as PEM texts; cleanup() removes it. */
export function makeTestPki(): { dir: string; certs: PemBundle; cleanup: () => void } {
  const pki = makeDevPki();
  const read = (file: string) => readFileSync(file, 'utf8');
  const f = pki.files;
  const certs: PemBundle = {
    ca: read(f.ca),
    caKey: read(f.caKey),
    serverCert: read(f.serverCert),
    serverKey: read(f.serverKey),
    clientCert: read(f.clientCert),
    clientKey: read(f.clientKey),
  };
  return { dir: pki.dir, certs, cleanup: () => pki.remove() };
}
