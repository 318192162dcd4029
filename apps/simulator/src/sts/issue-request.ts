import type { IncomingMessage } from 'node:http';
import { BFO_MODTAG_ENTITY } from '@cprh/config';
import type { PeerCertificate } from 'node:tls';

export const SAML2_TOKEN_TYPE = 'http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV2.0';
export const WSTRUST_ISSUE = 'http://docs.oasis-open.org/ws-sx/ws-trust/200512/Issue';
export const PUBLIC_KEY_TYPE = 'http://docs.oasis-open.org/ws-sx/ws-trust/200512/PublicKey';
const MAX_BODY = 64 * 1024;

/** A refused request: HTTP status and the one-line reason the STS answers. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The request body as JSON (at most 64 KiB). */
export function readJson(req: IncomingMessage): Promise<unknown> {
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

/** What an accepted RequestSecurityToken asks for. */
export interface IssueRequest {
  readonly audience: string;
  readonly cvr: string;
  /** The client certificate (DER, base64): the assertion's holder-of-key. */
  readonly certBase64: string;
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

/** The services (AppliesTo) the simulator's STS knows: Beskedfordeler's, as KOMBIT registers it. */
export const KNOWN_SERVICES: readonly string[] = [BFO_MODTAG_ENTITY];

/**
 * Checks the RequestSecurityToken JSON (STS.json) against the client certificate, as strictly as
 * KOMBIT's STS: every field present, a known service, and AnvenderKontekst.Cvr the certificate's
 * own CVR or one of `agreements` (the municipalities a supplier's certificate serves, each by its
 * own agreement with KOMBIT). The token then carries the CVR asked for.
 */
export function checkIssueRequest(
  json: unknown,
  peer: PeerCertificate,
  knownServices: readonly string[] = KNOWN_SERVICES,
  agreements: ReadonlySet<string> = new Set(),
): IssueRequest {
  if (json === null || typeof json !== 'object') throw new HttpError(400, 'body must be an object');
  const body = json as Record<string, unknown>;
  const tokenType = str(body.TokenType)?.replace(/\s+/g, '');
  if (tokenType !== SAML2_TOKEN_TYPE) throw new HttpError(400, 'TokenType must be SAML 2.0');
  if (str(body.RequestType) !== WSTRUST_ISSUE) throw new HttpError(400, 'RequestType must be Issue');
  // As KOMBIT's STS: KeyType is required (STS.json), and only PublicKey (holder-of-key) is issued.
  const keyType = str(body.KeyType);
  if (keyType === undefined) throw new HttpError(400, 'KeyType is required');
  if (keyType !== PUBLIC_KEY_TYPE) throw new HttpError(400, 'KeyType must be PublicKey');
  const appliesTo = body.AppliesTo as { EndpointReference?: { Address?: unknown } } | undefined;
  const audience = str(appliesTo?.EndpointReference?.Address);
  if (!audience) throw new HttpError(400, 'AppliesTo.EndpointReference.Address is required');
  if (!knownServices.includes(audience)) {
    throw new HttpError(400, `AppliesTo ${audience} is not a service this STS issues tokens for`);
  }
  // The organisation the token is for: required, and it must be the certificate's.
  const kontekst = (body.AnvenderKontekst ?? body.Anvenderkontekst) as { Cvr?: unknown } | undefined;
  const cvr = str(kontekst?.Cvr);
  if (cvr === undefined) throw new HttpError(400, 'AnvenderKontekst.Cvr is required');
  const certCvr = cvrOf(peer);
  if (certCvr === undefined) throw new HttpError(401, 'the client certificate carries no CVR');
  if (cvr !== certCvr && !agreements.has(cvr)) {
    throw new HttpError(
      401,
      'AnvenderKontekst.Cvr does not match the certificate and has no service agreement',
    );
  }
  const certBase64 = peer.raw.toString('base64');
  const useKey = str(body.UseKey)?.replace(/\s+/g, '');
  if (useKey !== undefined && useKey !== certBase64) {
    throw new HttpError(400, 'UseKey is not the client certificate');
  }
  return { audience, cvr, certBase64 };
}
