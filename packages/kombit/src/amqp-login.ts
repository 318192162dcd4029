import amqp, { type ChannelModel, type Options } from 'amqplib';
import { redactUrl } from '@cprh/config';
import type { TlsClientMaterial } from './function-certificate';
import { KombitError } from './kombit-error';
import type { SamlToken } from './saml-token';
import type { StsClient } from './sts-client';

/** AMQP_AUTH=sts: the STS client that issues a token per connection, and the certificate for TLS. */
export interface StsLogin {
  readonly sts: StsClient;
  readonly tls: TlsClientMaterial;
}

/**
 * amqplib socket options for one connection. `plain`: user and password from the URL. `sts`: the
 * client certificate in the TLS handshake and SASL EXTERNAL whose response is the assertion XML
 * itself (decoded, not base64), as KOMBIT's broker wants it.
 */
export function socketOptions(
  connectionName: string,
  login?: StsLogin,
  token?: SamlToken,
): Options.Connect & object {
  const clientProperties = { connection_name: connectionName };
  if (login === undefined || token === undefined) return { clientProperties } as Options.Connect & object;
  const xml = Buffer.from(token.assertionXml(), 'utf8');
  return {
    clientProperties,
    credentials: { mechanism: 'EXTERNAL', username: '', password: '', response: () => xml },
    cert: login.tls.cert,
    key: login.tls.key,
    ...(login.tls.ca ? { ca: login.tls.ca } : {}),
  } as unknown as Options.Connect & object;
}

/** Why a connection ended, as a metric word and a log line; from amqplib's close/handshake error. */
export function closeReason(err: unknown): { reason: string; text: string } {
  const text = err instanceof Error ? err.message.replace(/\s+/g, ' ') : 'closed';
  if (/\b320\b|CONNECTION.FORCED/.test(text)) return { reason: 'connection_forced', text };
  if (/\b403\b|ACCESS.REFUSED/.test(text)) return { reason: 'access_refused', text };
  return { reason: 'connection_closed', text };
}

/** A refused login at connect time (403 during the handshake) as a one-line KombitError. */
export function loginError(err: unknown, url: string): KombitError | undefined {
  if (err instanceof KombitError) return err;
  const { reason, text } = closeReason(err);
  if (reason !== 'access_refused') return undefined;
  const said = /message "([^"]*)"/.exec(text)?.[1] ?? text;
  return new KombitError('KOMBIT_AMQP_REFUSED', `the broker at ${url} refused the login: ${said}`, {
    cause: err,
  });
}

/** One AMQP connection, logged in as `socketOptions` says; a refused login is KOMBIT_AMQP_REFUSED. */
export async function connectBroker(
  url: string,
  connectionName: string,
  login?: StsLogin,
  token?: SamlToken,
): Promise<ChannelModel> {
  try {
    return await amqp.connect(url, socketOptions(connectionName, login, token));
  } catch (err) {
    throw loginError(err, redactUrl(url)) ?? err;
  }
}
