import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Vaerdiliste } from './vaerdiliste-store';
import { VaerdilisteStore } from './vaerdiliste-store';
import {
  idListeXml,
  laesResultatXml,
  registreringXml,
  standardReturXml,
  vaerdilisteXml,
} from './vaerdiliste-reply-xml';

/*
 * The operations of BeskedfordelerService (Beskedfordeler.wsdl) on value lists kept in Redis.
 * The `soap` package turns the SOAP body into plain objects (namespaces dropped, a repeated
 * element becomes an array, a single one does not), and turns our answers back into XML.
 */

/** StandardRetur status codes used here (OIO: 20 OK, 40 bad input, 44 not found, 50 server error). */
export const STATUS = { OK: 20, BAD_INPUT: 40, NOT_FOUND: 44, ERROR: 50 } as const;

type Args = Record<string, unknown>;
type Reply = { $xml: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function asArray(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  // soap gives { $value } for elements with attributes.
  if (v && typeof v === 'object' && '$value' in v) return text((v as { $value: unknown }).$value);
  return undefined;
}

/** soap's raw-XML key: the string is written as the operation element's content. */
function raw(...parts: string[]): Reply {
  return { $xml: parts.join('') };
}

function retur(status: number, tekst: string): Reply {
  return raw(standardReturXml(status, tekst));
}

class ServiceFault extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function uuidArg(args: Args): string {
  const id = text(args.UUIDIdentifikator)?.trim();
  if (!id || !UUID.test(id))
    throw new ServiceFault(STATUS.BAD_INPUT, 'UUIDIdentifikator mangler eller er ugyldig');
  return id.toLowerCase();
}

function valuesArg(args: Args): string[] {
  return asArray(args.Vaerdier)
    .map(text)
    .filter((v): v is string => v !== undefined)
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}

/** Name, user key and values from an AttributListe (all Egenskab elements). */
function fromAttributListe(liste: unknown): { navn?: string; noegle?: string; vaerdier: string[] } {
  const out: { navn?: string; noegle?: string; vaerdier: string[] } = { vaerdier: [] };
  for (const e of asArray((liste as Args | undefined)?.Egenskab)) {
    const egenskab = e as Args;
    const vl = egenskab.Vaerdiliste as Args | undefined;
    const navn = text(vl?.Navn);
    if (navn !== undefined && out.navn === undefined) out.navn = navn;
    const noegle = text(egenskab.BrugervendtNoegleTekst);
    if (noegle !== undefined && out.noegle === undefined) out.noegle = noegle;
    for (const v of asArray(vl?.Vaerdi)) {
      const t = text(v)?.trim();
      if (t) out.vaerdier.push(t);
    }
  }
  return out;
}

export interface BeskedfordelerServiceOptions {
  readonly redis: Redis;
  readonly prefix: string;
  readonly logger?: Logger;
}

export type OperationHandler = (args: Args) => Promise<Reply>;

/** The port's operations by WSDL name, each answering StandardRetur (20 on success). */
export function beskedfordelerOperations(
  opts: BeskedfordelerServiceOptions,
): Record<string, OperationHandler> {
  const store = new VaerdilisteStore(opts.redis, opts.prefix);

  const guard =
    (name: string, fn: (args: Args) => Promise<Reply>): OperationHandler =>
    async (args) => {
      try {
        const reply = await fn(args ?? {});
        opts.logger?.info({ operation: name }, 'beskedfordeler: operation done');
        return reply;
      } catch (err) {
        if (err instanceof ServiceFault) return retur(err.status, err.message);
        opts.logger?.error({ operation: name, err }, 'beskedfordeler: operation failed');
        return retur(STATUS.ERROR, 'intern fejl');
      }
    };

  const mustExist = async (id: string): Promise<Vaerdiliste> => {
    const list = await store.read(id);
    if (!list) throw new ServiceFault(STATUS.NOT_FOUND, 'værdilisten findes ikke');
    return list;
  };

  return {
    opretvaerdiliste: guard('opretvaerdiliste', async (args) => {
      const attr = fromAttributListe(args.AttributListe);
      if (attr.navn === undefined) throw new ServiceFault(STATUS.BAD_INPUT, 'Vaerdiliste/Navn mangler');
      const list = await store.create({
        uuid: randomUUID(),
        navn: attr.navn,
        ...(attr.noegle !== undefined ? { brugervendtNoegle: attr.noegle } : {}),
        ...(text(args.NoteTekst) !== undefined ? { note: text(args.NoteTekst) as string } : {}),
        vaerdier: [...new Set(attr.vaerdier)],
      });
      return raw(standardReturXml(STATUS.OK, 'OK'), vaerdilisteXml(list));
    }),
    importvaerdiliste: guard('importvaerdiliste', async (args) => {
      const vl = args.Vaerdiliste as Args | undefined;
      const id = uuidArg(vl ?? {});
      const reg = asArray(vl?.Registrering)[0] as Args | undefined;
      const attr = fromAttributListe(reg?.AttributListe);
      if (attr.navn === undefined) throw new ServiceFault(STATUS.BAD_INPUT, 'Vaerdiliste/Navn mangler');
      const list = await store.create({
        uuid: id,
        navn: attr.navn,
        livscyklus: 'Importeret',
        ...(attr.noegle !== undefined ? { brugervendtNoegle: attr.noegle } : {}),
        vaerdier: [...new Set(attr.vaerdier)],
      });
      return raw(standardReturXml(STATUS.OK, 'OK'), registreringXml(list));
    }),
    retvaerdiliste: guard('retvaerdiliste', async (args) => {
      const id = uuidArg(args);
      await mustExist(id);
      const attr = fromAttributListe(args.AttributListe);
      await store.update(id, {
        ...(attr.navn !== undefined ? { navn: attr.navn } : {}),
        ...(args.AttributListe !== undefined ? { vaerdier: [...new Set(attr.vaerdier)] } : {}),
        ...(text(args.NoteTekst) !== undefined ? { note: text(args.NoteTekst) as string } : {}),
      });
      return raw(standardReturXml(STATUS.OK, 'OK'), registreringXml(await mustExist(id)));
    }),
    laesvaerdiliste: guard('laesvaerdiliste', async (args) => {
      const list = await mustExist(uuidArg(args));
      return raw(standardReturXml(STATUS.OK, 'OK'), laesResultatXml(list));
    }),
    sletvaerdiliste: guard('sletvaerdiliste', async (args) => {
      const id = uuidArg(args);
      const list = await mustExist(id);
      await store.setLivscyklus(id, 'Slettet', text(args.NoteTekst));
      return raw(
        standardReturXml(STATUS.OK, 'OK'),
        registreringXml({ ...list, livscyklus: 'Slettet', vaerdier: [] }),
      );
    }),
    passivervaerdiliste: guard('passivervaerdiliste', async (args) => {
      const id = uuidArg(args);
      await mustExist(id);
      await store.setLivscyklus(id, 'Passiveret', text(args.NoteTekst));
      return raw(standardReturXml(STATUS.OK, 'OK'), registreringXml(await mustExist(id)));
    }),
    listvaerdiliste: guard('listvaerdiliste', async (args) => {
      const ids = asArray(args.UUIDIdentifikator).map((v) => text(v)?.trim() ?? '');
      if (ids.length === 0 || ids.some((id) => !UUID.test(id))) {
        throw new ServiceFault(STATUS.BAD_INPUT, 'UUIDIdentifikator mangler eller er ugyldig');
      }
      const found: string[] = [];
      for (const id of ids) {
        const list = await store.read(id);
        if (list) found.push(laesResultatXml(list));
      }
      return raw(standardReturXml(STATUS.OK, 'OK'), ...found);
    }),
    soegvaerdiliste: guard('soegvaerdiliste', async (args) => {
      const soeg = (args.SoegObjekt ?? {}) as Args;
      const wantedId = text(soeg.UUIDIdentifikator)?.toLowerCase();
      const egenskaber = asArray((soeg.SoegAttributListe as Args | undefined)?.SoegEgenskab);
      const wantedNavn = text(((egenskaber[0] as Args | undefined)?.Vaerdiliste as Args | undefined)?.Navn);
      const first = Number(text(args.FoersteResultatReference) ?? 0);
      const max = Number(text(args.MaksimalAntalKvantitet) ?? 500);
      const hits: string[] = [];
      for (const id of await store.list()) {
        if (wantedId && id !== wantedId) continue;
        const list = await store.read(id);
        if (!list) continue;
        if (wantedNavn !== undefined && list.navn !== wantedNavn) continue;
        hits.push(id);
      }
      return raw(standardReturXml(STATUS.OK, 'OK'), idListeXml(hits.slice(first, first + max)));
    }),
    tilfoejvaerdier: guard('tilfoejvaerdier', async (args) => {
      const id = uuidArg(args);
      await mustExist(id);
      await store.addValues(id, valuesArg(args));
      return retur(STATUS.OK, 'OK');
    }),
    fjernvaerdier: guard('fjernvaerdier', async (args) => {
      const id = uuidArg(args);
      await mustExist(id);
      await store.removeValues(id, valuesArg(args));
      return retur(STATUS.OK, 'OK');
    }),
    flytbeskedtilfejlkoe: guard('flytbeskedtilfejlkoe', async (args) => {
      const besked = args.Haendelsesbesked as Args | undefined;
      const beskedId = text((besked?.BeskedId as Args | undefined)?.UUIDIdentifikator);
      if (!beskedId) throw new ServiceFault(STATUS.BAD_INPUT, 'Haendelsesbesked/BeskedId mangler');
      // Only the id is kept: the error queue here is a record that the subscriber asked.
      await opts.redis.rpush(`${opts.prefix}fejlkoe`, beskedId);
      return retur(STATUS.OK, 'OK');
    }),
  };
}
