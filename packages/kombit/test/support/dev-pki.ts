import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '@cprh/testkit';

export interface DevPki {
  readonly ca: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
  cleanup(): void;
}

/** A fresh dev PKI (certs/make-dev-certs.sh) in a temporary directory: each call is its own CA. */
export function makeDevPki(): DevPki {
  const dir = mkdtempSync(join(tmpdir(), 'cprh-kombit-pki-'));
  execFileSync(join(repoRoot, 'certs', 'make-dev-certs.sh'), [dir], { stdio: 'pipe', timeout: 60_000 });
  const read = (name: string): string => readFileSync(join(dir, name), 'utf8');
  return {
    ca: read('ca.crt'),
    serverCert: read('server.crt'),
    serverKey: read('server.key'),
    clientCert: read('client.crt'),
    clientKey: read('client.key'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
