import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { z } from 'zod';
import { defineSection } from './define-section';
import { positiveInt } from './common-types';
import { ConfigError } from './config-error';

/** How the CloudEvent is put on the wire (CloudEvents HTTP binding). */
export type WebhookMode = 'structured' | 'binary';

/** One endpoint of WEBHOOKS_FILE, with defaults applied and its secrets read. */
export interface WebhookEndpoint {
  readonly id: string;
  readonly url: string;
  /** `whsec_…` secrets; the first signs alone, all sign while a rotation is under way. */
  readonly secrets: readonly string[];
  /** Undefined = EVENTS_STREAM. */
  readonly stream: string | undefined;
  /** CloudEvent type prefixes; empty = every event. */
  readonly types: readonly string[];
  readonly concurrency: number;
  readonly timeoutMs: number;
  readonly attempts: number;
  readonly backoffMs: number;
  readonly maxBackoffMs: number;
  readonly mode: WebhookMode;
  /** Where a new endpoint starts: `new` = events written from now on, `all` = the whole stream. */
  readonly from: 'new' | 'all';
  readonly caFile: string | undefined;
  readonly clientCertP12File: string | undefined;
  readonly clientCertP12Password: string | undefined;
}

/** WEBHOOKS_FILE was wrong: one line per mistake in `problems` (the message joins them). */
export class WebhooksFileError extends ConfigError {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super('WEBHOOKS_FILE', `${file}: ${problems.join('; ')}`);
  }
}

const SECRET = /^whsec_([A-Za-z0-9+/]+={0,2})$/;

/** The bytes of a `whsec_<base64>` secret (24–64 bytes, as Standard Webhooks asks), or a problem. */
export function webhookSecretBytes(secret: string): Buffer | string {
  const m = SECRET.exec(secret);
  if (m?.[1] === undefined) return 'must be "whsec_" followed by base64';
  const bytes = Buffer.from(m[1], 'base64');
  if (bytes.length < 24 || bytes.length > 64) return 'must hold 24 to 64 bytes after "whsec_"';
  return bytes;
}

function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  return h === '::1';
}

const secretText = z.string().refine((s) => typeof webhookSecretBytes(s) !== 'string', {
  message: 'must be "whsec_" followed by the base64 of 24 to 64 bytes',
});

const endpointSchema = z
  .object({
    id: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9_-]{0,62}$/,
        'must be 1-63 of a-z, 0-9, "_" and "-", starting with a letter or digit',
      ),
    url: z.string().superRefine((v, ctx) => {
      let u: URL;
      try {
        u = new URL(v);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'is not a URL' });
        return;
      }
      if (u.protocol === 'https:') return;
      if (u.protocol === 'http:' && isLoopback(u.hostname)) return;
      ctx.addIssue({ code: 'custom', message: 'must be https (http only for loopback hosts)' });
    }),
    secret: secretText.optional(),
    secretFile: z.string().min(1).optional(),
    secrets: z.array(secretText).min(1, 'must name at least one secret').max(4, 'at most 4').optional(),
    stream: z.string().regex(/^\S+$/, 'may not be empty or contain spaces').optional(),
    types: z.array(z.string().min(1, 'may not be empty')).default([]),
    concurrency: positiveInt.max(1000, 'must be <= 1000').default(8),
    timeoutMs: positiveInt.max(600_000, 'must be <= 600000').default(10_000),
    attempts: positiveInt.max(1000, 'must be <= 1000').default(12),
    backoffMs: positiveInt.default(1000),
    maxBackoffMs: positiveInt.default(3_600_000),
    mode: z.enum(['structured', 'binary']).default('structured'),
    from: z.enum(['new', 'all']).default('new'),
    caFile: z.string().min(1).optional(),
    clientCertP12File: z.string().min(1).optional(),
    clientCertP12Password: z.string().optional(),
  })
  .strict();

const fileSchema = z
  .object({ endpoints: z.array(z.unknown(), { message: 'must be a list of endpoints' }) })
  .strict();

function issuePath(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
}

function readSecretFile(file: string): string[] | string {
  try {
    const words = readFileSync(file, 'utf8')
      .split(/\s+/)
      .filter((w) => w !== '');
    if (words.length === 0) return `secretFile ${file} is empty`;
    const bad = words.find((w) => typeof webhookSecretBytes(w) === 'string');
    // Never the secret itself in a message: only where it is.
    if (bad !== undefined) return `secretFile ${file} holds something that is not a whsec_ secret`;
    return words;
  } catch (err) {
    return `secretFile ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`;
  }
}

/**
 * Parses the text of WEBHOOKS_FILE; every mistake is one line in the thrown WebhooksFileError's
 * `problems`, naming the endpoint and the field (`endpoints[1] (sag).url: must be https …`).
 */
export function parseWebhooksFile(text: string, file: string): WebhookEndpoint[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new WebhooksFileError(file, [`not valid JSON (${(err as Error).message})`]);
  }
  const top = fileSchema.safeParse(json);
  if (!top.success) {
    throw new WebhooksFileError(
      file,
      top.error.issues.map(
        (i) =>
          `${issuePath(i.path).replace(/^\./, '') || '(top)'}: ${
            i.code === 'unrecognized_keys' ? `unknown field(s) ${i.keys.join(', ')}` : i.message
          }`,
      ),
    );
  }
  const problems: string[] = [];
  const out: WebhookEndpoint[] = [];
  const seen = new Set<string>();
  top.data.endpoints.forEach((raw, n) => {
    const rawId = (raw as { id?: unknown } | null)?.id;
    const where = `endpoints[${n}]${typeof rawId === 'string' ? ` (${rawId})` : ''}`;
    if (typeof rawId === 'string') {
      if (seen.has(rawId)) problems.push(`${where}.id: "${rawId}" is used by an earlier endpoint`);
      seen.add(rawId);
    }
    const parsed = endpointSchema.safeParse(raw);
    if (!parsed.success) {
      for (const i of parsed.error.issues) {
        const message = i.code === 'unrecognized_keys' ? `unknown field(s) ${i.keys.join(', ')}` : i.message;
        problems.push(`${where}${issuePath(i.path)}: ${message}`);
      }
      return;
    }
    const e = parsed.data;
    const given = [e.secret, e.secretFile, e.secrets].filter((s) => s !== undefined).length;
    if (given !== 1) {
      problems.push(`${where}: needs exactly one of secret, secretFile, secrets`);
      return;
    }
    let secrets: string[];
    if (e.secretFile !== undefined) {
      const read = readSecretFile(e.secretFile);
      if (typeof read === 'string') {
        problems.push(`${where}: ${read}`);
        return;
      }
      secrets = read;
    } else {
      secrets = e.secrets ?? (e.secret === undefined ? [] : [e.secret]);
    }
    if (e.maxBackoffMs < e.backoffMs) problems.push(`${where}.maxBackoffMs: must be >= backoffMs`);
    if (e.clientCertP12Password !== undefined && e.clientCertP12File === undefined) {
      problems.push(`${where}.clientCertP12Password: only with clientCertP12File`);
    }
    out.push({
      id: e.id,
      url: e.url,
      secrets,
      stream: e.stream,
      types: e.types,
      concurrency: e.concurrency,
      timeoutMs: e.timeoutMs,
      attempts: e.attempts,
      backoffMs: e.backoffMs,
      maxBackoffMs: e.maxBackoffMs,
      mode: e.mode,
      from: e.from,
      caFile: e.caFile,
      clientCertP12File: e.clientCertP12File,
      clientCertP12Password: e.clientCertP12Password,
    });
  });
  if (problems.length > 0) throw new WebhooksFileError(file, problems);
  return out;
}

// The webhook delivery process (apps/webhooks) and `cprh webhooks`.
export const webhooksSettings = defineSection({
  env: {
    /** JSON file of endpoints; unset = no webhooks (and `cprh start` does not run the process). */
    WEBHOOKS_FILE: z.string().min(1).optional(),
    /** How often a delivery process looks for work other processes made due (retries, other writers). */
    WEBHOOKS_POLL_MS: positiveInt.max(60_000, 'must be <= 60000').default(200),
    /** How long one process holds an endpoint's stream intake before another may take over. */
    WEBHOOKS_INTAKE_LEASE_MS: positiveInt.min(500, 'must be >= 500').default(10_000),
    /** How long "this event was taken from the stream" is remembered, against double intake. */
    WEBHOOKS_ACCEPTED_TTL_SECONDS: positiveInt.default(24 * 3600),
  },
  build: (e) => {
    let endpoints: WebhookEndpoint[] = [];
    if (e.WEBHOOKS_FILE !== undefined) {
      let text: string;
      try {
        text = readFileSync(e.WEBHOOKS_FILE, 'utf8');
      } catch (err) {
        throw new WebhooksFileError(e.WEBHOOKS_FILE, [
          `cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
        ]);
      }
      endpoints = parseWebhooksFile(text, e.WEBHOOKS_FILE);
    }
    return {
      file: e.WEBHOOKS_FILE,
      endpoints,
      pollMs: e.WEBHOOKS_POLL_MS,
      intakeLeaseMs: e.WEBHOOKS_INTAKE_LEASE_MS,
      acceptedTtlMs: e.WEBHOOKS_ACCEPTED_TTL_SECONDS * 1000,
    };
  },
});
