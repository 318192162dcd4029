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
  const read = (name: string) => readFileSync(pki.path(name), 'utf8');
  const certs: PemBundle = {
    ca: read('ca.crt'),
    caKey: read('ca.key'),
    serverCert: read('server.crt'),
    serverKey: read('server.key'),
    clientCert: read('client.crt'),
    clientKey: read('client.key'),
  };
  return { dir: pki.dir, certs, cleanup: () => pki.remove() };
}
