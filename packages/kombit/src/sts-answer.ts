import { KombitError } from './kombit-error';
import { readAssertion, SamlToken } from './saml-token';

/**
 * The STS REST answer (RequestSecurityTokenResponse) as a SamlToken. The expiry is the assertion's
 * Conditions/@NotOnOrAfter; `Lifetime` is the fallback: STS.json types it as the string
 * `MM/DD/YYYY HH:MM:SS` in UTC, older simulators answered `{ Created, Expires }`: both are read.
 */
export function tokenFromAnswer(body: unknown): SamlToken {
  const rst = body as { RequestedSecurityToken?: { Assertion?: unknown }; Lifetime?: unknown } | null;
  const b64 = rst?.RequestedSecurityToken?.Assertion;
  if (typeof b64 !== 'string' || b64.trim() === '') {
    throw malformed('no RequestedSecurityToken.Assertion');
  }
  const xml = Buffer.from(b64, 'base64').toString('utf8');
  const facts = readAssertion(xml);
  if (facts === undefined) throw malformed('RequestedSecurityToken.Assertion is not a base64 SAML assertion');
  const expiry = facts.notOnOrAfter ?? lifetimeExpiry(rst?.Lifetime);
  if (expiry === undefined) throw malformed('neither Conditions/@NotOnOrAfter nor Lifetime gives an expiry');
  return new SamlToken(xml, facts.id, facts.subject, facts.audience, facts.notBefore, expiry);
}

/** `Lifetime`: "MM/DD/YYYY HH:MM:SS" (UTC) or { Created, Expires } in that format or ISO 8601. */
export function lifetimeExpiry(lifetime: unknown): Date | undefined {
  if (typeof lifetime === 'string') return stsTime(lifetime);
  if (lifetime !== null && typeof lifetime === 'object') {
    const expires = (lifetime as { Expires?: unknown }).Expires;
    if (typeof expires === 'string') return stsTime(expires);
  }
  return undefined;
}

const US_UTC = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2}):(\d{2})$/;

function stsTime(s: string): Date | undefined {
  const m = US_UTC.exec(s.trim());
  // The STS writes UTC without saying so; comparing it with local time is a bug seen in a peer.
  const d = m ? new Date(Date.UTC(+m[3]!, +m[1]! - 1, +m[2]!, +m[4]!, +m[5]!, +m[6]!)) : new Date(s);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function malformed(problem: string): KombitError {
  return new KombitError('KOMBIT_STS_MALFORMED', `the STS answer is malformed: ${problem}`);
}
