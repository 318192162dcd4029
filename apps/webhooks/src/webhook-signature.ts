import { createHmac, timingSafeEqual } from 'node:crypto';
import { webhookSecretBytes } from '@cprh/config';

/** Standard Webhooks: `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">` with the secret's bytes. */
export function signOne(secret: string, id: string, timestamp: number, body: string | Buffer): string {
  const key = webhookSecretBytes(secret);
  if (typeof key === 'string') throw new TypeError(`webhook secret ${key}`);
  const mac = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest('base64');
  return `v1,${mac}`;
}

/** The `webhook-signature` header: one signature per secret, space-separated (rotation: new, old). */
export function signatureHeader(
  secrets: readonly string[],
  id: string,
  timestamp: number,
  body: string | Buffer,
): string {
  return secrets.map((s) => signOne(s, id, timestamp, body)).join(' ');
}

/** Why a request's signature was refused, or null when one of its signatures matches a secret. */
export function verifySignature(
  secrets: readonly string[],
  headers: { id?: string; timestamp?: string; signature?: string },
  body: string | Buffer,
  nowSeconds = Math.floor(Date.now() / 1000),
  toleranceSeconds = 300,
): string | null {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature) return 'missing webhook-id, webhook-timestamp or webhook-signature';
  if (!/^\d+$/.test(timestamp)) return 'webhook-timestamp is not unix seconds';
  if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) return 'webhook-timestamp too old or new';
  const given = signature.split(' ').filter((s) => s.startsWith('v1,'));
  for (const secret of secrets) {
    const expected = Buffer.from(signOne(secret, id, Number(timestamp), body));
    for (const g of given) {
      const b = Buffer.from(g);
      if (b.length === expected.length && timingSafeEqual(b, expected)) return null;
    }
  }
  return 'no signature matches';
}
