import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { makeDevPki } from '@cprh/testkit';
import { ReceiverError } from '../src';
import { startTestReceiver } from './support/receiver-harness';

describe('a receiver that cannot listen', () => {
  const pki = makeDevPki();
  afterAll(() => pki.remove());

  it('fails its start with RECEIVER_LISTEN_FAILED and the reason (port in use)', async () => {
    const holder = createServer();
    holder.listen(0, '127.0.0.1');
    await once(holder, 'listening');
    const { port } = holder.address() as AddressInfo;
    try {
      const started = startTestReceiver(pki, { RECEIVER_HOST: '127.0.0.1', RECEIVER_PORT: String(port) });
      await expect(started).rejects.toBeInstanceOf(ReceiverError);
      await expect(started).rejects.toMatchObject({
        code: 'RECEIVER_LISTEN_FAILED',
        message: expect.stringContaining(`127.0.0.1:${port}: EADDRINUSE`) as unknown,
      });
    } finally {
      holder.close();
    }
  });
});
