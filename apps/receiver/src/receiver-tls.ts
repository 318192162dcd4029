import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
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

function read(file: string, setting: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ReceiverError('RECEIVER_TLS_FILE_INVALID', `${setting} ${file} cannot be read: ${code}`, {
      cause: err,
    });
  }
}

function certificates(file: string, setting: string): X509Certificate[] {
  const pems = read(file, setting).match(PEM_CERT) ?? [];
  if (pems.length === 0) {
    throw new ReceiverError('RECEIVER_TLS_FILE_INVALID', `${setting} ${file} holds no PEM certificate`);
  }
  return pems.map((pem) => {
    try {
      return new X509Certificate(pem);
    } catch (err) {
      throw new ReceiverError('RECEIVER_TLS_FILE_INVALID', `${setting} ${file} holds a certificate that cannot be parsed`, {
        cause: err,
      });
    }
  });
}

/**
 * Reads and checks the receiver's PEM files once at start: certificates parse, the key is a
 * private key matching the server certificate. Errors name the setting and file, never key material.
 */
export function loadReceiverTls(files: ReceiverTlsFiles | undefined): ReceiverTlsMaterial {
  if (files === undefined) {
    throw new ReceiverError(
      'RECEIVER_TLS_NOT_CONFIGURED',
      'the push receiver needs mutual TLS: set RECEIVER_TLS_CERT_FILE, RECEIVER_TLS_KEY_FILE and RECEIVER_CLIENT_CA_FILE',
    );
  }
  const chain = certificates(files.certFile, 'RECEIVER_TLS_CERT_FILE');
  const keyPem = read(files.keyFile, 'RECEIVER_TLS_KEY_FILE');
  let matches: boolean;
  try {
    matches = chain[0]!.checkPrivateKey(createPrivateKey(keyPem));
  } catch (err) {
    // Node's message may quote the input; say only what is wrong.
    throw new ReceiverError('RECEIVER_TLS_FILE_INVALID', `RECEIVER_TLS_KEY_FILE ${files.keyFile} is not an unencrypted PEM private key`, {
      cause: err,
    });
  }
  if (!matches) {
    throw new ReceiverError(
      'RECEIVER_TLS_FILE_INVALID',
      `RECEIVER_TLS_KEY_FILE ${files.keyFile} does not match the certificate in ${files.certFile}`,
    );
  }
  const clientCa = certificates(files.clientCaFile, 'RECEIVER_CLIENT_CA_FILE').map((c) => c.toString());
  return { cert: chain.map((c) => c.toString()).join(''), key: keyPem, clientCa };
}
