import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** A downstream webhook endpoint: a real HTTP server on loopback with its own signing secret. */
export interface WebhookEndpoint {
  readonly url: string;
  readonly secret: string;
  /** Every request it got, in arrival order. */
  readonly got: { headers: Record<string, string>; body: string }[];
  /** The ids of the CloudEvents it got; throws unless each is signed with this endpoint's secret. */
  verifiedIds(): string[];
  /** Writes a WEBHOOKS_FILE at `file` with this as its one endpoint, `sag`, taking all events. */
  writeWebhooksFile(file: string): void;
  close(): void;
}

/** Starts an endpoint that answers 204 to every POST and keeps what it got. */
export async function startWebhookEndpoint(): Promise<WebhookEndpoint> {
  const got: WebhookEndpoint['got'] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString() });
      res.writeHead(204).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  return {
    url,
    secret,
    got,
    verifiedIds() {
      const wh = new Webhook(secret);
      return got.map((g) => (wh.verify(g.body, g.headers) as { id: string }).id);
    },
    writeWebhooksFile(file) {
      writeFileSync(file, JSON.stringify({ endpoints: [{ id: 'sag', url, secret, from: 'all' }] }));
    },
    close() {
      server.closeAllConnections();
      server.close();
    },
  };
}
