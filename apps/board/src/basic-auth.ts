import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';

export interface Credentials {
  readonly user: string;
  readonly password: string;
}

// Hash first so both sides have the same length: timingSafeEqual needs that, and the
// comparison then leaks neither the content nor the length of the secret.
const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

function same(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

/** Parses `Authorization: Basic …`; undefined when absent or malformed. */
export function parseBasicAuth(header: string | undefined): Credentials | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!m?.[1]) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Express middleware: HTTP basic auth against one user, compared in constant time. */
export function basicAuth(expected: Credentials, realm = 'cprh ops'): RequestHandler {
  return (req, res, next) => {
    const given = parseBasicAuth(req.headers.authorization);
    // Evaluate both comparisons always, so a wrong user takes as long as a wrong password.
    const userOk = same(given?.user ?? '', expected.user);
    const passwordOk = same(given?.password ?? '', expected.password);
    if (given && userOk && passwordOk) {
      next();
      return;
    }
    res
      .status(401)
      .set('WWW-Authenticate', `Basic realm="${realm}", charset="UTF-8"`)
      .type('text/plain')
      .send('authentication required\n');
  };
}
