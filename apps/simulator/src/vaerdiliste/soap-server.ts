import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import * as soap from 'soap';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { beskedfordelerOperations } from './beskedfordeler-service';
import type { CertBundle } from '../certificates';
import { guardSoapActions, soapActionsOf } from './soap-action-guard';

export const WSDL_PATH = join(__dirname, '..', '..', '..', '..', 'wsdl', 'wsdl', 'Beskedfordeler.wsdl');
/** KOMBIT's path (kombit/bfo_infrastructureSamples-java, VaerdilisteServiceClient). */
export const SOAP_PATH = '/sts-bf-soap/StsbeskedfordelerImpl';

export interface SoapServerOptions {
  readonly host: string;
  readonly port: number;
  readonly redis: Redis;
  readonly prefix: string;
  /** With certificates: HTTPS with mutual TLS (as KOMBIT); without: plain HTTP. */
  readonly certs?: CertBundle;
  readonly logger?: Logger;
}

export interface SoapServer {
  /** Endpoint URL (POST SOAP here; `?wsdl` gives the WSDL). */
  readonly url: string;
  close(): Promise<void>;
}

/** BeskedfordelerService (SOAP 1.1, document/literal) from KOMBIT's own WSDL. */
export async function startSoapServer(opts: SoapServerOptions): Promise<SoapServer> {
  const server: HttpServer = opts.certs
    ? createHttpsServer({
        key: opts.certs.serverKey,
        cert: opts.certs.serverCert,
        ca: opts.certs.ca,
        requestCert: true,
        rejectUnauthorized: true,
      })
    : createHttpServer();
  server.on('tlsClientError', () => undefined);
  const operations = beskedfordelerOperations({
    redis: opts.redis,
    prefix: opts.prefix,
    ...(opts.logger ? { logger: opts.logger } : {}),
  });
  // node-soap attaches its request handler only once the WSDL is parsed: listen after that, so
  // the service answers from the moment it is announced.
  const wsdl = readFileSync(WSDL_PATH, 'utf8');
  await new Promise<void>((resolve, reject) => {
    const soapServer = soap.listen(server, {
      path: SOAP_PATH,
      services: { Beskedfordeler: { stsbeskedfordeler: operations } },
      xml: wsdl,
      uri: WSDL_PATH,
      suppressStack: true,
      callback: (err: unknown) =>
        err
          ? reject(err instanceof Error ? err : new Error('the SOAP service did not start', { cause: err }))
          : resolve(),
    });
    soapServer.log = () => undefined;
  });
  guardSoapActions(server, SOAP_PATH, soapActionsOf(wsdl));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const scheme = opts.certs ? 'https' : 'http';
  return {
    url: `${scheme}://${opts.host}:${port}${SOAP_PATH}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
