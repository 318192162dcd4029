import { randomUUID, X509Certificate } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import type { Logger } from 'pino';
import type { CertBundle } from '../certificates';
import { assertionXml, signAssertion } from './saml-assertion';

export const STS_ISSUE_PATH = '/runtime/api/rest/wstrust/v1/issue';
export const SAML2_TOKEN_TYPE = 'http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV2.0';
export const WSTRUST_ISSUE = 'http://docs.oasis-open.org/ws-sx/ws-trust/200512/Issue';
export const PUBLIC_KEY_TYPE = 'http://docs.oasis-open.org/ws-sx/ws-trust/200512/PublicKey';
const MAX_BODY = 64 * 1024;

export interface StsOptions {
  readonly host: string;
  readonly port: number;
  readonly certs: CertBundle;
  readonly lifetimeSeconds: number;
  readonly issuer?: string;
  readonly logger?: Logger;
  /** Clock, for tests. */
  readonly now?: () => Date;
}

export interface StsServer {
  readonly url: string;
  readonly issueUrl: string;
  /** Chaos for tests: the next `count` issue requests fail with `status` (default 500). */
  failNext(count: number, status?: number): void;
  close(): Promise<void>;
}

/** "%m/%d/%Y %H:%M:%S" in UTC, the STS REST answer's lifetime format. */
export function stsLifetimeFormat(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

/** The subject as the STS writes it: "C=DK,O=…,CN=…,Serial=…". */
export function subjectName(cert: PeerCertificate): string {
  const s = cert.subject as unknown as Record<string, string | string[] | undefined>;
  const one = (k: string) => {
    const v = s[k];
    return Array.isArray(v) ? v.join('+') : v;
  };
  return [
    ['C', one('C')],
    ['O', one('O')],
    ['CN', one('CN')],
    ['Serial', one('serialNumber')],
  ]
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** The CVR of a function certificate: from "CVR:<n>-FID:…" (serialNumber) or "// CVR:<n>" (O). */
export function cvrOf(cert: PeerCertificate): string | undefined {
  const s = cert.subject as unknown as Record<string, string | undefined>;
  for (const v of [s.serialNumber, s.O]) {
    const m = /CVR:(\d{8})/.exec(String(v ?? ''));
    if (m) return m[1];
  }
  return undefined;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new HttpError(413, 'request body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        reject(new HttpError(400, 'body is not JSON'));
      }
    });
    req.on('error', reject);
  });
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/**
 * KOMBIT's STS REST issue endpoint over mutual TLS: checks the RequestSecurityToken JSON and
 * answers a SAML 2.0 assertion for the client certificate, signed by the dev CA.
 */
export async function startStsServer(opts: StsOptions): Promise<StsServer> {
  const now = opts.now ?? (() => new Date());
  const issuer = opts.issuer ?? 'https://sts.cprh-sim.local/';
  const injected = { count: 0, status: 500 };
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    try {
      const path = (req.url ?? '').split('?')[0];
      if (path !== STS_ISSUE_PATH) throw new HttpError(404, 'unknown path');
      if (req.method !== 'POST') throw new HttpError(405, 'use POST');
      if (injected.count > 0) {
        injected.count -= 1;
        throw new HttpError(injected.status, 'injected failure (simulator chaos)');
      }
      const socket = req.socket as TLSSocket;
      const peer = socket.getPeerCertificate(false);
      if (!socket.authorized || !peer || !peer.raw) throw new HttpError(401, 'client certificate required');
      const body = (await readJson(req)) as Record<string, unknown> | null;
      if (body === null || typeof body !== 'object') throw new HttpError(400, 'body must be an object');
      const tokenType = str(body.TokenType)?.replace(/\s+/g, '');
      if (tokenType !== SAML2_TOKEN_TYPE) throw new HttpError(400, 'TokenType must be SAML 2.0');
      if (str(body.RequestType) !== WSTRUST_ISSUE) throw new HttpError(400, 'RequestType must be Issue');
      const keyType = str(body.KeyType) ?? PUBLIC_KEY_TYPE;
      if (keyType !== PUBLIC_KEY_TYPE) throw new HttpError(400, 'KeyType must be PublicKey');
      const appliesTo = body.AppliesTo as { EndpointReference?: { Address?: unknown } } | undefined;
      const audience = str(appliesTo?.EndpointReference?.Address);
      if (!audience) throw new HttpError(400, 'AppliesTo.EndpointReference.Address is required');
      const certCvr = cvrOf(peer);
      const kontekst = (body.AnvenderKontekst ?? body.Anvenderkontekst) as { Cvr?: unknown } | undefined;
      const askedCvr = str(kontekst?.Cvr);
      if (askedCvr !== undefined && certCvr !== undefined && askedCvr !== certCvr) {
        throw new HttpError(401, 'AnvenderKontekst.Cvr does not match the certificate');
      }
      const cvr = askedCvr ?? certCvr;
      if (!cvr) throw new HttpError(400, 'no CVR in the certificate or AnvenderKontekst');
      const certBase64 = peer.raw.toString('base64');
      const useKey = str(body.UseKey)?.replace(/\s+/g, '');
      if (useKey !== undefined && useKey !== certBase64) {
        throw new HttpError(400, 'UseKey is not the client certificate');
      }
      const created = now();
      const expires = new Date(created.getTime() + opts.lifetimeSeconds * 1000);
      const assertion = signAssertion(
        assertionXml({
          id: `_${randomUUID()}`,
          issuer,
          issueInstant: created,
          notBefore: created,
          notOnOrAfter: expires,
          subjectName: subjectName(peer),
          clientCertBase64: certBase64,
          audience,
          cvr,
        }),
        opts.certs.caKey,
        opts.certs.ca,
      );
      opts.logger?.info({ audience }, 'sts: assertion issued');
      send(200, {
        TokenType: SAML2_TOKEN_TYPE,
        RequestType: WSTRUST_ISSUE,
        KeyType: PUBLIC_KEY_TYPE,
        AppliesTo: { EndpointReference: { Address: audience } },
        // STS.json: Lifetime is a string, the expiry as MM/DD/YYYY HH:MM:SS in UTC.
        Lifetime: stsLifetimeFormat(expires),
        RequestedSecurityToken: { Assertion: Buffer.from(assertion, 'utf8').toString('base64') },
      });
    } catch (err) {
      const status = err instanceof HttpError ? err.status : 500;
      const message = err instanceof HttpError ? err.message : 'internal error';
      if (status === 500) opts.logger?.error({ err }, 'sts: request failed');
      send(status, { code: status, message });
    }
  };

  const server: Server = createServer(
    {
      key: opts.certs.serverKey,
      cert: opts.certs.serverCert,
      ca: opts.certs.ca,
      requestCert: true,
      rejectUnauthorized: true,
    },
    (req, res) => void handle(req, res),
  );
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `https://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}`;
  return {
    url,
    issueUrl: `${url}${STS_ISSUE_PATH}`,
    failNext: (count, status = 500) => {
      injected.count = count;
      injected.status = status;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The CA certificate's DER, for verifying with xml-crypto. */
export function certificateDerBase64(pem: string): string {
  return new X509Certificate(pem).raw.toString('base64');
}
