import { X509Certificate } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Logger } from 'pino';
import type { CertBundle } from '../certificates';
import { issueAnswer } from './issue-answer';
import { checkIssueRequest, HttpError, readJson } from './issue-request';

export { KNOWN_SERVICES, PUBLIC_KEY_TYPE, SAML2_TOKEN_TYPE, WSTRUST_ISSUE, cvrOf } from './issue-request';
export { stsLifetimeFormat, subjectName } from './issue-answer';

export const STS_ISSUE_PATH = '/runtime/api/rest/wstrust/v1/issue';

export interface StsOptions {
  readonly host: string;
  readonly port: number;
  readonly certs: CertBundle;
  readonly lifetimeSeconds: number;
  readonly issuer?: string;
  /** The AppliesTo values it issues tokens for (default KNOWN_SERVICES: Beskedfordeler's). */
  readonly knownServices?: readonly string[];
  /** CVRs any dev-CA certificate may ask tokens for besides its own (one agreement per tenant). */
  readonly agreements?: ReadonlySet<string>;
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

/**
 * KOMBIT's STS REST issue endpoint over mutual TLS: checks the RequestSecurityToken JSON and
 * answers a SAML 2.0 assertion for the client certificate, signed by the dev CA.
 */
export async function startStsServer(opts: StsOptions): Promise<StsServer> {
  const now = opts.now ?? (() => new Date());
  const issuer = opts.issuer ?? 'https://sts.cprh-sim.local/';
  const injected = { count: 0, status: 500 };
  const issue = async (req: IncomingMessage): Promise<Record<string, unknown>> => {
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
    const request = checkIssueRequest(await readJson(req), peer, opts.knownServices, opts.agreements);
    const answer = issueAnswer(request, peer, {
      certs: opts.certs,
      issuer,
      lifetimeSeconds: opts.lifetimeSeconds,
      created: now(),
    });
    opts.logger?.info({ audience: request.audience, cvr: request.cvr }, 'sts: assertion issued');
    return answer;
  };
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    try {
      send(200, await issue(req));
    } catch (err) {
      const status = err instanceof HttpError ? err.status : 500;
      const message = err instanceof HttpError ? err.message : 'internal error';
      if (status === 500) opts.logger?.error({ err }, 'sts: request failed');
      send(status, { code: status, message });
    }
  };
  return listen(opts, handle, injected);
}

async function listen(
  opts: StsOptions,
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  injected: { count: number; status: number },
): Promise<StsServer> {
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
