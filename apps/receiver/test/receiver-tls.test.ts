import { makeDevPki } from '@cprh/testkit';
import { loadReceiverTls } from '../src/receiver-tls';

describe('loadReceiverTls', () => {
  const pki = makeDevPki();
  afterAll(() => pki.remove());
  const files = {
    certFile: pki.path('server.crt'),
    keyFile: pki.path('server.key'),
    clientCaFile: pki.path('ca.crt'),
  };

  it('reads the server certificate, its key and only the given client CAs', () => {
    const tls = loadReceiverTls(files);
    expect(tls.cert).toContain('BEGIN CERTIFICATE');
    expect(tls.key).toContain('PRIVATE KEY');
    expect(tls.clientCa).toHaveLength(1);
  });

  it.each([
    [
      'a key of another certificate',
      { keyFile: pki.path('client.key') },
      /RECEIVER_TLS_CERT_FILE\/RECEIVER_TLS_KEY_FILE: .*does not match/,
    ],
    [
      'a missing certificate',
      { certFile: pki.path('nope.crt') },
      /RECEIVER_TLS_CERT_FILE\/RECEIVER_TLS_KEY_FILE: .*cannot be read: ENOENT/,
    ],
    [
      'a client CA file without a certificate',
      { clientCaFile: pki.path('server.key') },
      /^RECEIVER_CLIENT_CA_FILE .* holds no PEM certificate$/,
    ],
  ])('refuses %s with one line (RECEIVER_TLS_FILE_INVALID), no key material', (_what, change, message) => {
    let err: unknown;
    try {
      loadReceiverTls({ ...files, ...change });
    } catch (e) {
      err = e;
    }
    expect((err as { code?: string }).code).toBe('RECEIVER_TLS_FILE_INVALID');
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toMatch(/BEGIN|PRIVATE/);
  });
});
