import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { PemBundle } from './test-pki';

export interface ReceivedPush {
  readonly body: string;
  readonly clientCertSubject: string | undefined;
}

export interface PushReceiver {
  readonly url: string;
  readonly received: ReceivedPush[];
  close(): Promise<void>;
}

/** A push receiver's success answer: ModtagBeskedOutput with StatusKode 20. */
export const PUSH_OK =
  '<?xml version="1.0" encoding="UTF-8"?><ns4:ModtagBeskedOutput xmlns="urn:oio:sagdok:3.0.0" xmlns:ns4="urn:oio:sts:1.0.0"><StandardRetur><StatusKode>20</StatusKode><FejlbeskedTekst>OK</FejlbeskedTekst></StandardRetur></ns4:ModtagBeskedOutput>';

/**
 * An anvendersystem's push endpoint for tests: HTTPS with mutual TLS on port 0; `answer(n)` scripts
 * the reply to the n-th request (1-based).
 */
export async function startPushReceiver(
  certs: Pick<PemBundle, 'ca' | 'serverCert' | 'serverKey'>,
  answer: (n: number) => { status: number; body: string },
): Promise<PushReceiver> {
  const received: ReceivedPush[] = [];
  const tls = {
    key: certs.serverKey,
    cert: certs.serverCert,
    ca: certs.ca,
    requestCert: true,
    rejectUnauthorized: true,
  };
  const server: Server = createServer(tls, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const peer = (req.socket as TLSSocket).getPeerCertificate();
      received.push({
        body: Buffer.concat(chunks).toString('utf8'),
        clientCertSubject: String(peer.subject?.CN),
      });
      const a = answer(received.length);
      res.writeHead(a.status, { 'content-type': 'application/xml' });
      res.end(a.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}/ModtagBesked`,
    received,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
