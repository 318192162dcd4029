import { readFileSync } from 'node:fs';
import { connect } from 'node:tls';
import { makeDevPki } from '@cprh/testkit';
import { startTestReceiver } from './support/receiver-harness';

describe('request timeouts', () => {
  const pki = makeDevPki();
  afterAll(() => pki.remove());

  it('answers 408 and closes a connection whose headers do not arrive within RECEIVER_HEADERS_TIMEOUT_MS', async () => {
    const rx = await startTestReceiver(pki, {
      RECEIVER_HEADERS_TIMEOUT_MS: '500',
      RECEIVER_REQUEST_TIMEOUT_MS: '1000',
    });
    try {
      const socket = connect({
        host: '127.0.0.1',
        port: rx.receiver.port,
        ca: readFileSync(pki.path('ca.crt')),
        cert: readFileSync(pki.path('client.crt')),
        key: readFileSync(pki.path('client.key')),
        servername: 'localhost',
      });
      const t0 = Date.now();
      const text = await new Promise<string>((resolve, reject) => {
        let got = '';
        // Half a request line, then nothing: a slow or stuck client.
        socket.on('secureConnect', () =>
          socket.write(`POST ${new URL(rx.url).pathname} HTTP/1.1\r\nHost: x\r\n`),
        );
        socket.on('data', (d: Buffer) => (got += d.toString('latin1')));
        socket.on('close', () => resolve(got));
        socket.on('error', reject);
      });
      expect(text).toMatch(/^HTTP\/1.1 408 /);
      expect(Date.now() - t0).toBeLessThan(4000);
    } finally {
      await rx.stop();
    }
  });
});
