import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DevPki } from '@cprh/testkit';

export interface SeenRequest {
  readonly soapAction: string;
  readonly body: string;
}

/** What to answer: an HTTP status and body, or `hang` to never answer. */
export type Answer = { status: number; body: string; contentType?: string } | 'hang';

export interface FakeBeskedfordeler {
  readonly url: string;
  readonly seen: SeenRequest[];
  /** Replaces the answer for every following request. */
  answer(fn: (req: SeenRequest) => Answer): void;
  close(): Promise<void>;
}

const ENV_OPEN = '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>';
const ENV_CLOSE = '</soap:Body></soap:Envelope>';
const NS = 'xmlns:vl="urn:oio:sts:beskedfordeler:vaerdiliste:1.0.0" xmlns:sd="urn:oio:sagdok:3.0.0"';

export function envelope(inner: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>${ENV_OPEN}${inner}${ENV_CLOSE}`;
}

export function standardRetur(status: number, tekst: string): string {
  return `<sd:StandardRetur ${NS}><sd:StatusKode>${status}</sd:StatusKode><sd:FejlbeskedTekst>${tekst}</sd:FejlbeskedTekst></sd:StandardRetur>`;
}

/** An output element of `op` (e.g. "LaesOutput") holding `inner`. */
export function output(op: string, inner: string): string {
  return envelope(`<vl:${op} ${NS}>${inner}</vl:${op}>`);
}

/**
 * A stand-in for BeskedfordelerService on HTTPS with mutual TLS (client certificate from the
 * PKI's CA required) that records what it gets and answers what the test says: for the cases
 * the simulator does not produce (faults, silence, HTML pages).
 */
export async function startFakeBeskedfordeler(
  pki: DevPki,
  path = '/sts-bf-soap/StsbeskedfordelerImpl',
): Promise<FakeBeskedfordeler> {
  const seen: SeenRequest[] = [];
  let answerFor: (req: SeenRequest) => Answer = () => ({
    status: 200,
    body: output('ListOutput', standardRetur(20, 'OK')),
  });
  const server: Server = createServer({
    key: pki.pem().serverKey,
    cert: pki.pem().serverCert,
    ca: pki.pem().ca,
    requestCert: true,
    rejectUnauthorized: true,
  });
  server.on('tlsClientError', () => undefined);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: SeenRequest = {
        soapAction: String(req.headers.soapaction ?? '').replace(/"/g, ''),
        body: Buffer.concat(chunks).toString('utf8'),
      };
      seen.push(r);
      const a = answerFor(r);
      if (a === 'hang') return;
      res.writeHead(a.status, { 'content-type': a.contentType ?? 'text/xml; charset=utf-8' });
      res.end(a.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}${path}`,
    seen,
    answer: (fn) => {
      answerFor = fn;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
