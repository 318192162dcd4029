import { join } from 'node:path';

/**
 * The dev PKI's file names (certs/make-dev-certs.sh writes them): the one place that names them.
 * The simulator's certificates, testkit's throw-away PKIs and the tests' TLS clients all read it.
 * Here rather than in the simulator because the simulator's tests already depend on testkit.
 */
export const DEV_PKI_FILE_NAMES = {
  ca: 'ca.crt',
  caKey: 'ca.key',
  serverCert: 'server.crt',
  serverKey: 'server.key',
  clientCert: 'client.crt',
  clientKey: 'client.key',
} as const;

export type DevPkiFile = keyof typeof DEV_PKI_FILE_NAMES;

/** Absolute (or dir-relative) paths of every file of a dev PKI in `dir`. */
export type DevPkiFiles = { readonly [K in DevPkiFile]: string };

export function devPkiFilesIn(dir: string): DevPkiFiles {
  const files = {} as Record<DevPkiFile, string>;
  for (const [key, name] of Object.entries(DEV_PKI_FILE_NAMES)) files[key as DevPkiFile] = join(dir, name);
  return files;
}
