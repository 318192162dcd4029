import { Agent, request } from 'undici';
import type { Logger } from 'pino';
import type { FunctionCertificate } from './function-certificate';
import { KombitError } from './kombit-error';
import type { SamlToken } from './saml-token';
import { tokenFromAnswer } from './sts-answer';

export const SAML2_TOKEN_TYPE = 'http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV2.0';
export const WSTRUST_ISSUE = 'http://docs.oasis-open.org/ws-sx/ws-trust/200512/Issue';
export const WSTRUST_PUBLIC_KEY = 'http://docs.oasis-open.org/ws-sx/ws-trust/200512/PublicKey';

export interface StsClientOptions {
  /** STS_URL: the REST issue endpoint. */
  readonly url: string;
  /** STS_CVR: AnvenderKontekst.Cvr. */
  readonly cvr: string;
  /** STS_APPLIES_TO: the service the token is for. */
  readonly appliesTo: string;
  /** STS_REFRESH_MARGIN_SECONDS: a cached token is renewed this long before it expires. */
  readonly refreshMarginSeconds: number;
  readonly certificate: FunctionCertificate;
  /** Attempts per token for transient failures (TLS, 5xx, malformed), with doubling delays. */
  readonly retry?: { attempts: number; minMs: number; maxMs: number };
  readonly timeoutMs?: number;
  readonly log?: Logger;
  readonly now?: () => Date;
  /** Hooks for metrics (the process wires them to its Prometheus counters). */
  readonly observer?: StsObserver;
}

export interface StsObserver {
  issued?(token: SamlToken): void;
  failed?(code: string): void;
}

/** The RequestSecurityToken JSON (STS.json) for a certificate, CVR and service. */
export function issueRequest(useKey: string, cvr: string, appliesTo: string): Record<string, unknown> {
  return {
    TokenType: SAML2_TOKEN_TYPE,
    RequestType: WSTRUST_ISSUE,
    KeyType: WSTRUST_PUBLIC_KEY,
    AnvenderKontekst: { Cvr: cvr },
    UseKey: useKey,
    AppliesTo: { EndpointReference: { Address: appliesTo } },
  };
}

/**
 * Client of KOMBIT's STS REST issue endpoint over mutual TLS with the function certificate.
 * `token()` caches until STS_REFRESH_MARGIN_SECONDS before expiry; `fresh()` always asks.
 * Errors are KombitErrors (KOMBIT_STS_*) with the STS's own error text; the assertion, the
 * certificate and the key never appear in a log line or an error.
 */
export class StsClient {
  private readonly agent: Agent;
  private cached: SamlToken | undefined;
  private inflight: Promise<SamlToken> | undefined;
  private readonly now: () => Date;
  /** When each token arrived: its lifetime when the assertion has no NotBefore. */
  private readonly issuedAt = new WeakMap<SamlToken, Date>();
  private clampLogged = false;

  constructor(private readonly opts: StsClientOptions) {
    const tls = opts.certificate.tls();
    this.agent = new Agent({ connect: { cert: tls.cert, key: tls.key, ...(tls.ca ? { ca: tls.ca } : {}) } });
    this.now = opts.now ?? (() => new Date());
  }

  /** A token valid for at least the refresh margin (cached, or fetched). */
  async token(): Promise<SamlToken> {
    const c = this.cached;
    if (c !== undefined && this.now() < this.renewAt(c)) return c;
    return this.fresh();
  }

  /** A newly issued token (concurrent callers share one request). */
  fresh(): Promise<SamlToken> {
    this.inflight ??= this.fetchWithRetry().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  /**
   * When a token should be replaced: the margin before expiry, at most half its lifetime. A margin
   * that long would renew a short-lived token at every check; the clamp is logged once.
   */
  renewAt(t: SamlToken): Date {
    const start = t.notBefore ?? this.issuedAt.get(t) ?? this.now();
    const lifetimeMs = t.notOnOrAfter.getTime() - start.getTime();
    const wantedMs = this.opts.refreshMarginSeconds * 1000;
    const marginMs = Math.min(wantedMs, lifetimeMs / 2);
    if (marginMs < wantedMs && !this.clampLogged) {
      this.clampLogged = true;
      this.opts.log?.warn(
        {
          refreshMarginSeconds: this.opts.refreshMarginSeconds,
          tokenLifetimeSeconds: Math.round(lifetimeMs / 1000),
          renewBeforeExpirySeconds: Math.round(marginMs / 1000),
        },
        `sts: STS_REFRESH_MARGIN_SECONDS (${this.opts.refreshMarginSeconds} s) is not shorter than half the token's lifetime (${Math.round(lifetimeMs / 1000)} s); tokens are renewed at half their lifetime`,
      );
    }
    return new Date(t.notOnOrAfter.getTime() - marginMs);
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  private async fetchWithRetry(): Promise<SamlToken> {
    const { attempts, minMs, maxMs } = this.opts.retry ?? { attempts: 4, minMs: 500, maxMs: 8000 };
    for (let attempt = 1; ; attempt += 1) {
      try {
        const token = await this.fetchOnce();
        this.issuedAt.set(token, this.now());
        this.cached = token;
        this.opts.observer?.issued?.(token);
        this.opts.log?.info({ ...token.describe(), attempt }, 'sts: token issued');
        return token;
      } catch (err) {
        const e = err as KombitError;
        this.opts.observer?.failed?.(e.code);
        const retryable = e.code !== 'KOMBIT_STS_REFUSED';
        if (!retryable || attempt >= attempts) throw e;
        const delayMs = Math.min(maxMs, minMs * 2 ** (attempt - 1));
        this.opts.log?.warn(
          { code: e.code, err: e.message, attempt, delayMs },
          'sts: token request failed; retrying',
        );
        await new Promise((r) => setTimeout(r, delayMs));
      }
    }
  }

  private async fetchOnce(): Promise<SamlToken> {
    const { url, cvr, appliesTo, certificate } = this.opts;
    const timeout = this.opts.timeoutMs ?? 15_000;
    let res;
    try {
      res = await request(url, {
        method: 'POST',
        dispatcher: this.agent,
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(issueRequest(certificate.useKey(), cvr, appliesTo)),
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
    } catch (err) {
      throw unreachable(url, err);
    }
    const text = await res.body.text().catch(() => '');
    if (res.statusCode === 200) {
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new KombitError('KOMBIT_STS_MALFORMED', 'the STS answer is malformed: not JSON');
      }
      return tokenFromAnswer(body);
    }
    const code = res.statusCode >= 400 && res.statusCode < 500 ? 'KOMBIT_STS_REFUSED' : 'KOMBIT_STS_FAILED';
    throw new KombitError(code, `the STS answered HTTP ${res.statusCode}: ${stsErrorText(text)}`);
  }
}

/** The STS's `{ code, message }` (STS.json Error) or the start of its text, on one line. */
function stsErrorText(text: string): string {
  let message: unknown;
  try {
    message = (JSON.parse(text) as { message?: unknown }).message;
  } catch {
    message = undefined;
  }
  const t = typeof message === 'string' ? message : text;
  return t.replace(/\s+/g, ' ').trim().slice(0, 300) || '(no error text)';
}

function unreachable(url: string, err: unknown): KombitError {
  const e = err as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  const code = e.code ?? e.cause?.code ?? 'error';
  const host = new URL(url).host;
  return new KombitError(
    'KOMBIT_STS_UNREACHABLE',
    `the STS at ${host} is not reachable: ${code} ${e.message}`,
    {
      cause: err,
    },
  );
}
