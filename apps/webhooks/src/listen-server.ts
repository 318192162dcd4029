import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySignature } from './webhook-signature';

/** One request the listener got. */
export interface ReceivedWebhook {
  readonly id: string | undefined;
  readonly timestamp: string | undefined;
  readonly contentType: string | undefined;
  /** null when the signature is good, else why not. */
  readonly refused: string | null;
  readonly body: string;
}

export interface ListenServer {
  readonly url: string;
  close(): Promise<void>;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * `cprh webhooks listen`: a small receiver for a developer trying the webhooks out. It verifies the
 * Standard Webhooks signature of each POST with the given secrets, answers 204 (or 401 when the
 * signature is wrong) and hands what it got to `onRequest`.
 */
export async function startListenServer(options: {
  secrets: readonly string[];
  port: number;
  host?: string;
  onRequest: (r: ReceivedWebhook) => void;
}): Promise<ListenServer> {
  const server: Server = createServer((req, res) => {
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST' }).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const got = {
        id: header(req, 'webhook-id'),
        timestamp: header(req, 'webhook-timestamp'),
        signature: header(req, 'webhook-signature'),
      };
      const refused = verifySignature(options.secrets, got, body);
      options.onRequest({
        id: got.id,
        timestamp: got.timestamp,
        contentType: header(req, 'content-type'),
        refused,
        body: body.toString('utf8'),
      });
      res.writeHead(refused === null ? 204 : 401).end();
    });
  });
  const host = options.host ?? '127.0.0.1';
  server.listen(options.port, host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
