import { Agent, type AgentOptions } from 'node:https';
import type { Logger } from 'pino';
import * as soap from 'soap';
import { redactUrl } from '@cprh/config';
import { KombitError } from '../kombit-error';
import { BESKEDFORDELER_WSDL, SAGDOK_NS } from './beskedfordeler-wsdl';
import { ServiceStatusError } from './service-status-error';
import { soapCallError } from './soap-call-error';
import * as req from './vaerdiliste-requests';
import * as rep from './vaerdiliste-replies';
import type { Aktoer, SoegKriterier, Vaerdiliste, VaerdilisteIndhold } from './vaerdiliste-types';

/** The TLS material of the function certificate: PEM cert/key (+ passphrase) or a PKCS#12 `pfx`. */
export type ClientTls = Pick<AgentOptions, 'cert' | 'key' | 'passphrase' | 'pfx' | 'ca'>;

export interface VaerdilisteClientOptions {
  /** https://<beskedfordeler host>/sts-bf-soap/StsbeskedfordelerImpl (VAERDILISTE_URL). */
  readonly endpoint: string;
  readonly tls: ClientTls;
  /** Per request (default 30 s). */
  readonly timeoutMs?: number;
  /** Written into each Egenskab's Virkning when a list is created or changed. */
  readonly aktoer?: Aktoer;
  readonly log?: Logger;
  readonly wsdlPath?: string;
}

export const DEFAULT_AKTOER: Aktoer = { uuid: '00000000-0000-0000-0000-000000000000', typeKode: 'ItSystem' };

type Operation =
  | 'opretvaerdiliste'
  | 'importvaerdiliste'
  | 'retvaerdiliste'
  | 'laesvaerdiliste'
  | 'sletvaerdiliste'
  | 'passivervaerdiliste'
  | 'listvaerdiliste'
  | 'soegvaerdiliste'
  | 'tilfoejvaerdier'
  | 'fjernvaerdier'
  | 'flytbeskedtilfejlkoe';

type AsyncOp = (args: unknown, options: object) => Promise<[unknown]>;

/**
 * BeskedfordelerService (value lists and the error queue) over mutual TLS with the function
 * certificate. The `soap` client is made at run time from KOMBIT's WSDL. Each method is one
 * operation; a StandardRetur other than 20 throws ServiceStatusError, transport trouble a
 * KombitError with its own code. Logs carry the operation, counts and timings, never values.
 */
export class VaerdilisteClient {
  private readonly agent: Agent;
  private readonly timeoutMs: number;
  private readonly aktoer: Aktoer;

  private constructor(
    private readonly client: soap.Client,
    private readonly opts: VaerdilisteClientOptions,
  ) {
    // keepAlive: a chunked import reuses one TLS session instead of a handshake per chunk.
    this.agent = new Agent({ ...opts.tls, keepAlive: true, maxSockets: 4 });
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.aktoer = opts.aktoer ?? DEFAULT_AKTOER;
  }

  static async create(opts: VaerdilisteClientOptions): Promise<VaerdilisteClient> {
    let client: soap.Client;
    try {
      client = await soap.createClientAsync(opts.wsdlPath ?? BESKEDFORDELER_WSDL, {
        endpoint: opts.endpoint,
      });
    } catch (err) {
      throw new KombitError(
        'KOMBIT_WSDL_INVALID',
        `cannot load the BeskedfordelerService WSDL: ${(err as Error).message}`,
        { cause: err },
      );
    }
    // Requests name sagdok elements with the sd prefix (see vaerdiliste-requests); the WSDL object
    // may be soap's cached one, so declare it once.
    if (!client.wsdl.xmlnsInEnvelope.includes('xmlns:sd='))
      client.wsdl.xmlnsInEnvelope += ` xmlns:sd="${SAGDOK_NS}"`;
    return new VaerdilisteClient(client, opts);
  }

  get endpoint(): string {
    return this.opts.endpoint;
  }

  async opret(indhold: VaerdilisteIndhold, note?: string): Promise<Vaerdiliste> {
    const reply = await this.call(
      'opretvaerdiliste',
      req.opretRequest(indhold, this.aktoer, note),
      indhold.vaerdier.length,
    );
    const list = rep.opretReplyOf(reply);
    if (!list) throw this.badReply('opretvaerdiliste', 'no Vaerdiliste/UUIDIdentifikator');
    return list;
  }

  /** The whole list under `uuid` (create or replace, as the service decides). */
  async importer(uuid: string, indhold: VaerdilisteIndhold, note?: string): Promise<Vaerdiliste | undefined> {
    const reply = await this.call(
      'importvaerdiliste',
      req.importRequest(uuid, indhold, this.aktoer, note),
      indhold.vaerdier.length,
    );
    return rep.registreringReplyOf(reply, uuid);
  }

  /** New attributes for the list: name, key and values together (Ret replaces the Egenskab). */
  async ret(uuid: string, indhold: VaerdilisteIndhold, note?: string): Promise<Vaerdiliste | undefined> {
    const reply = await this.call(
      'retvaerdiliste',
      req.retRequest(uuid, indhold, this.aktoer, note),
      indhold.vaerdier.length,
    );
    return rep.registreringReplyOf(reply, uuid);
  }

  async laes(uuid: string): Promise<Vaerdiliste> {
    const list = rep.laesReplyOf(await this.call('laesvaerdiliste', req.uuidRequest(uuid), 0), uuid);
    if (!list) throw this.badReply('laesvaerdiliste', 'no LaesResultat');
    return list;
  }

  async list(uuids: readonly string[]): Promise<Vaerdiliste[]> {
    if (uuids.length === 0) return [];
    return rep.listReplyOf(await this.call('listvaerdiliste', req.listRequest(uuids), 0), uuids);
  }

  async soeg(kriterier: SoegKriterier = {}): Promise<string[]> {
    return rep.soegReplyOf(await this.call('soegvaerdiliste', req.soegRequest(kriterier), 0));
  }

  async passiver(uuid: string, note?: string): Promise<void> {
    await this.call('passivervaerdiliste', req.uuidRequest(uuid, note), 0);
  }

  async slet(uuid: string, note?: string): Promise<void> {
    await this.call('sletvaerdiliste', req.uuidRequest(uuid, note), 0);
  }

  async tilfoejVaerdier(uuid: string, vaerdier: readonly string[]): Promise<void> {
    await this.call('tilfoejvaerdier', req.vaerdierRequest(uuid, vaerdier), vaerdier.length);
  }

  async fjernVaerdier(uuid: string, vaerdier: readonly string[]): Promise<void> {
    await this.call('fjernvaerdier', req.vaerdierRequest(uuid, vaerdier), vaerdier.length);
  }

  /** Asks Beskedfordeler to move a message (the Haendelsesbesked as received) to its error queue. */
  async flytBeskedTilFejlkoe(haendelsesbeskedXml: string): Promise<void> {
    await this.call('flytbeskedtilfejlkoe', req.flytRequest(haendelsesbeskedXml), 0);
  }

  close(): void {
    this.agent.destroy();
  }

  private async call(operation: Operation, body: req.RequestBody, values: number): Promise<unknown> {
    const fn = (this.client as unknown as Record<string, AsyncOp | undefined>)[`${operation}Async`];
    if (!fn) throw new KombitError('KOMBIT_WSDL_INVALID', `the WSDL has no operation ${operation}`);
    const started = Date.now();
    let reply: unknown;
    try {
      [reply] = await fn.call(this.client, body, { httpsAgent: this.agent, timeout: this.timeoutMs });
    } catch (err) {
      const e = soapCallError(operation, redactUrl(this.opts.endpoint), err, this.timeoutMs);
      this.opts.log?.warn(
        { operation, values, ms: Date.now() - started, code: e.code },
        'beskedfordeler call failed',
      );
      throw e;
    }
    const retur = rep.standardReturOf(reply);
    this.opts.log?.debug(
      { operation, values, ms: Date.now() - started, statusKode: retur?.statusKode },
      'beskedfordeler call',
    );
    if (!retur) throw this.badReply(operation, 'no StandardRetur');
    if (retur.statusKode !== 20)
      throw new ServiceStatusError(operation, retur.statusKode, retur.fejlbeskedTekst);
    return reply;
  }

  private badReply(operation: string, what: string): KombitError {
    return new KombitError(
      'KOMBIT_SOAP_BAD_RESPONSE',
      `${operation} at ${redactUrl(this.opts.endpoint)}: unusable answer (${what})`,
    );
  }
}
