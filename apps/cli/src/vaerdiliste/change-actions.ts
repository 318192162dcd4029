import { ServiceStatusError, type VaerdilisteClient, type Vaerdiliste } from '@cprh/kombit';
import { UsageError } from '../command';
import type { VaerdilisteArgs } from './vaerdiliste-args';
import { diffValues } from './vaerdiliste-diff';
import { out, outJson } from './vaerdiliste-output';
import { sendInChunks } from './send-in-chunks';

/** StatusKode for "no such object" (OIO's 44, as the simulator answers). */
const NOT_FOUND = 44;

function id(a: VaerdilisteArgs): string {
  return a.ids[0] ?? '';
}

function report(a: VaerdilisteArgs, json: Record<string, unknown>, text: string): void {
  if (a.json) outJson(json);
  else out(text);
}

/** `opret --navn N [CPR…|--file F]`: the first chunk goes with opret, the rest with tilfoej. */
export async function opretAction(client: VaerdilisteClient, a: VaerdilisteArgs): Promise<void> {
  const first = a.cpr.slice(0, a.chunk);
  const indhold = {
    navn: a.navn ?? '',
    ...(a.noegle === undefined ? {} : { brugervendtNoegle: a.noegle }),
    vaerdier: first,
  };
  const list = await client.opret(indhold, a.note);
  const uuid = list.uuid ?? '';
  await sendInChunks(a.cpr.slice(first.length), a.chunk, 'tilfoej', (c) => client.tilfoejVaerdier(uuid, c));
  report(a, { id: uuid, navn: list.navn, antal: a.cpr.length }, uuid);
}

async function readIfThere(client: VaerdilisteClient, uuid: string): Promise<Vaerdiliste | undefined> {
  try {
    return await client.laes(uuid);
  } catch (err) {
    if (err instanceof ServiceStatusError && err.statusKode === NOT_FOUND) return undefined;
    throw err;
  }
}

/**
 * `import ID --file F`: afterwards the list holds exactly the file's numbers. An existing list
 * gets only the difference (fjern, then tilfoej, in chunks); a new one is made with
 * importvaerdiliste under ID (needs --navn) and filled with tilfoej.
 */
export async function importAction(client: VaerdilisteClient, a: VaerdilisteArgs): Promise<void> {
  const uuid = id(a);
  const started = Date.now();
  const current = await readIfThere(client, uuid);
  let add: readonly string[] = a.cpr;
  let removed = 0;
  if (current === undefined) {
    if (a.navn === undefined) throw new UsageError(`list ${uuid} does not exist; give --navn to create it`);
    const first = a.cpr.slice(0, a.chunk);
    const noegle = a.noegle === undefined ? {} : { brugervendtNoegle: a.noegle };
    await client.importer(uuid, { navn: a.navn, ...noegle, vaerdier: first }, a.note);
    add = a.cpr.slice(first.length);
  } else {
    const d = diffValues(current.vaerdier, a.cpr);
    await sendInChunks(d.remove, a.chunk, 'fjern', (c) => client.fjernVaerdier(uuid, c));
    removed = d.remove.length;
    add = d.add;
  }
  await sendInChunks(add, a.chunk, 'tilfoej', (c) => client.tilfoejVaerdier(uuid, c));
  const added = current === undefined ? a.cpr.length : add.length;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const json = {
    id: uuid,
    created: current === undefined,
    added,
    removed,
    total: a.cpr.length,
    seconds: Number(seconds),
  };
  report(
    a,
    json,
    `${uuid}: ${current === undefined ? 'created, ' : ''}added ${added}, removed ${removed}, now ${a.cpr.length} (${seconds} s)`,
  );
}

export async function retAction(client: VaerdilisteClient, a: VaerdilisteArgs): Promise<void> {
  const uuid = id(a);
  const current = await client.laes(uuid);
  const noegle = a.noegle ?? current.brugervendtNoegle;
  await client.ret(
    uuid,
    {
      navn: a.navn ?? current.navn,
      ...(noegle === undefined ? {} : { brugervendtNoegle: noegle }),
      vaerdier: current.vaerdier,
    },
    a.note,
  );
  report(a, { id: uuid, navn: a.navn ?? current.navn, noegle: noegle ?? null }, `${uuid}: changed`);
}

export async function passiverAction(client: VaerdilisteClient, a: VaerdilisteArgs): Promise<void> {
  await client.passiver(id(a), a.note);
  report(a, { id: id(a), livscyklus: 'Passiveret' }, `${id(a)}: passive`);
}

export async function sletAction(client: VaerdilisteClient, a: VaerdilisteArgs): Promise<void> {
  await client.slet(id(a), a.note);
  report(a, { id: id(a), livscyklus: 'Slettet' }, `${id(a)}: deleted`);
}

export async function tilfoejAction(client: VaerdilisteClient, a: VaerdilisteArgs): Promise<void> {
  const requests = await sendInChunks(a.cpr, a.chunk, 'tilfoej', (c) => client.tilfoejVaerdier(id(a), c));
  report(a, { id: id(a), added: a.cpr.length, requests }, `${id(a)}: sent ${a.cpr.length} to add`);
}

export async function fjernAction(client: VaerdilisteClient, a: VaerdilisteArgs): Promise<void> {
  const requests = await sendInChunks(a.cpr, a.chunk, 'fjern', (c) => client.fjernVaerdier(id(a), c));
  report(a, { id: id(a), removed: a.cpr.length, requests }, `${id(a)}: sent ${a.cpr.length} to remove`);
}
