import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  asArray,
  fromAttributListe,
  raw,
  retur,
  ServiceFault,
  STATUS,
  text,
  uuidArg,
  UUID,
  valuesArg,
  type Args,
  type Reply,
} from './soap-args';
import {
  idListeXml,
  laesResultatXml,
  registreringXml,
  standardReturXml,
  vaerdilisteXml,
} from './vaerdiliste-reply-xml';
import type { Vaerdiliste, VaerdilisteStore } from './vaerdiliste-store';

/** What the operations work on: the value lists, and the Redis key of the error queue. */
export interface OperationContext {
  readonly store: VaerdilisteStore;
  readonly redis: Redis;
  readonly prefix: string;
}

type Operation = (c: OperationContext, args: Args) => Promise<Reply>;

/** StandardRetur 20 followed by the operation's own elements. */
const ok = (...xml: string[]): Reply => raw(standardReturXml(STATUS.OK, 'OK'), ...xml);

async function mustExist(store: VaerdilisteStore, id: string): Promise<Vaerdiliste> {
  const list = await store.read(id);
  if (!list) throw new ServiceFault(STATUS.NOT_FOUND, 'værdilisten findes ikke');
  return list;
}

const opretvaerdiliste: Operation = async ({ store }, args) => {
  const attr = fromAttributListe(args.AttributListe);
  if (!attr.navn) throw new ServiceFault(STATUS.BAD_INPUT, 'Vaerdiliste/Navn mangler');
  const list = await store.create({
    uuid: randomUUID(),
    navn: attr.navn,
    ...(attr.noegle !== undefined ? { brugervendtNoegle: attr.noegle } : {}),
    ...(text(args.NoteTekst) !== undefined ? { note: text(args.NoteTekst) } : {}),
    vaerdier: [...new Set(attr.vaerdier)],
  });
  return ok(vaerdilisteXml(list));
};

const importvaerdiliste: Operation = async ({ store }, args) => {
  const vl = args.Vaerdiliste as Args | undefined;
  const id = uuidArg(vl ?? {});
  const reg = asArray(vl?.Registrering)[0] as Args | undefined;
  const attr = fromAttributListe(reg?.AttributListe);
  if (!attr.navn) throw new ServiceFault(STATUS.BAD_INPUT, 'Vaerdiliste/Navn mangler');
  const list = await store.create({
    uuid: id,
    navn: attr.navn,
    livscyklus: 'Importeret',
    ...(attr.noegle !== undefined ? { brugervendtNoegle: attr.noegle } : {}),
    vaerdier: [...new Set(attr.vaerdier)],
  });
  return ok(registreringXml(list));
};

const retvaerdiliste: Operation = async ({ store }, args) => {
  const id = uuidArg(args);
  await mustExist(store, id);
  const attr = fromAttributListe(args.AttributListe);
  await store.update(id, {
    ...(attr.navn !== undefined ? { navn: attr.navn } : {}),
    ...(args.AttributListe !== undefined ? { vaerdier: [...new Set(attr.vaerdier)] } : {}),
    ...(text(args.NoteTekst) !== undefined ? { note: text(args.NoteTekst) } : {}),
  });
  return ok(registreringXml(await mustExist(store, id)));
};

const laesvaerdiliste: Operation = async ({ store }, args) =>
  ok(laesResultatXml(await mustExist(store, uuidArg(args))));

const sletvaerdiliste: Operation = async ({ store }, args) => {
  const id = uuidArg(args);
  const list = await mustExist(store, id);
  await store.setLivscyklus(id, 'Slettet', text(args.NoteTekst));
  return ok(registreringXml({ ...list, livscyklus: 'Slettet', vaerdier: [] }));
};

const passivervaerdiliste: Operation = async ({ store }, args) => {
  const id = uuidArg(args);
  await mustExist(store, id);
  await store.setLivscyklus(id, 'Passiveret', text(args.NoteTekst));
  return ok(registreringXml(await mustExist(store, id)));
};

const listvaerdiliste: Operation = async ({ store }, args) => {
  const ids = asArray(args.UUIDIdentifikator).map((v) => text(v)?.trim() ?? '');
  if (ids.length === 0 || ids.some((id) => !UUID.test(id))) {
    throw new ServiceFault(STATUS.BAD_INPUT, 'UUIDIdentifikator mangler eller er ugyldig');
  }
  const found: string[] = [];
  for (const id of ids) {
    const list = await store.read(id);
    if (list) found.push(laesResultatXml(list));
  }
  return ok(...found);
};

const soegvaerdiliste: Operation = async ({ store }, args) => {
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
  return ok(idListeXml(hits.slice(first, first + max)));
};

const tilfoejvaerdier: Operation = async ({ store }, args) => {
  const id = uuidArg(args);
  await mustExist(store, id);
  await store.addValues(id, valuesArg(args));
  return retur(STATUS.OK, 'OK');
};

const fjernvaerdier: Operation = async ({ store }, args) => {
  const id = uuidArg(args);
  await mustExist(store, id);
  await store.removeValues(id, valuesArg(args));
  return retur(STATUS.OK, 'OK');
};

const flytbeskedtilfejlkoe: Operation = async ({ redis, prefix }, args) => {
  const besked = args.Haendelsesbesked as Args | undefined;
  const beskedId = text((besked?.BeskedId as Args | undefined)?.UUIDIdentifikator);
  if (!beskedId) throw new ServiceFault(STATUS.BAD_INPUT, 'Haendelsesbesked/BeskedId mangler');
  // Only the id is kept: the error queue here is a record that the subscriber asked.
  await redis.rpush(`${prefix}fejlkoe`, beskedId);
  return retur(STATUS.OK, 'OK');
};

/** The eleven operations of Beskedfordeler.wsdl by name; a ServiceFault becomes its StandardRetur. */
export const VAERDILISTE_OPERATIONS: Readonly<Record<string, Operation>> = {
  opretvaerdiliste,
  importvaerdiliste,
  retvaerdiliste,
  laesvaerdiliste,
  sletvaerdiliste,
  passivervaerdiliste,
  listvaerdiliste,
  soegvaerdiliste,
  tilfoejvaerdier,
  fjernvaerdier,
  flytbeskedtilfejlkoe,
};
