import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { FunctionCertificate, KombitError } from '@cprh/kombit';
import { ReceiverError } from './receiver-error';

/** Server certificate (with chain), key and the CAs client certificates must chain to, as PEM. */
export interface ReceiverTlsMaterial {
  readonly cert: string;
  readonly key: string;
  /** Only these CAs: never the system's roots, which would let any public certificate call. */
  readonly clientCa: string[];
}

export interface ReceiverTlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
  readonly clientCaFile: string;
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

function invalid(problem: string, cause?: unknown): ReceiverError {
  return new ReceiverError('RECEIVER_TLS_FILE_INVALID', problem, cause === undefined ? undefined : { cause });
}

function readClientCa(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw invalid(`RECEIVER_CLIENT_CA_FILE ${file} cannot be read: ${code}`, err);
  }
  const pems = text.match(PEM_CERT) ?? [];
  if (pems.length === 0) throw invalid(`RECEIVER_CLIENT_CA_FILE ${file} holds no PEM certificate`);
  return pems.map((pem) => {
    try {
      return new X509Certificate(pem).toString();
    } catch (err) {
      throw invalid(`RECEIVER_CLIENT_CA_FILE ${file} holds a certificate that cannot be parsed`, err);
    }
  });
}

/**
 * Reads and checks the receiver's PEM files once at start. The server certificate and key go
 * through kombit's certificate loader (parses, key matches, currently valid); the client CAs are
 * read here, alone. Errors name the setting and the file, never key material.
 */
export function loadReceiverTls(files: ReceiverTlsFiles | undefined): ReceiverTlsMaterial {
  if (files === undefined) {
    throw new ReceiverError(
      'RECEIVER_TLS_NOT_CONFIGURED',
      'the push receiver needs mutual TLS: set RECEIVER_TLS_CERT_FILE, RECEIVER_TLS_KEY_FILE and RECEIVER_CLIENT_CA_FILE',
    );
  }
  let server: FunctionCertificate;
  try {
    server = FunctionCertificate.load({ kind: 'pem', certFile: files.certFile, keyFile: files.keyFile });
  } catch (err) {
    if (!(err instanceof KombitError)) throw err;
    throw invalid(`RECEIVER_TLS_CERT_FILE/RECEIVER_TLS_KEY_FILE: ${err.message}`, err);
  }
  const { cert, key } = server.tls();
  return { cert, key, clientCa: readClientCa(files.clientCaFile) };
}
