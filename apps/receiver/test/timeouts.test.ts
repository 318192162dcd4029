import { makeDevPki } from '@cprh/testkit';
import { rawTlsExchange, startTestReceiver } from './support/receiver-harness';

describe('request timeouts', () => {
  const pki = makeDevPki();
  afterAll(() => pki.remove());

  it('answers 408 and closes a connection whose headers do not arrive within RECEIVER_HEADERS_TIMEOUT_MS', async () => {
    const rx = await startTestReceiver(pki, {
      RECEIVER_HEADERS_TIMEOUT_MS: '500',
      RECEIVER_REQUEST_TIMEOUT_MS: '1000',
    });
    try {
      const t0 = Date.now();
      // Half a request line, then nothing: a slow or stuck client.
      const text = await rawTlsExchange(
        pki,
        rx.receiver.port,
        `POST ${new URL(rx.url).pathname} HTTP/1.1\r\nHost: x\r\n`,
      );
      expect(text).toMatch(/^HTTP\/1.1 408 /);
      expect(Date.now() - t0).toBeLessThan(4000);
    } finally {
      await rx.stop();
    }
  });
});
