import type { Vaerdiliste } from './vaerdiliste-types';

/*
 * Reads the objects `soap` makes of BeskedfordelerService answers (prefixes dropped; a repeated
 * element is an array, a single one is not). Total functions: a missing part gives undefined
 * or an empty list, never a throw, and the client decides what is an error.
 */
type Obj = Record<string, unknown>;

function asArray(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

function obj(v: unknown): Obj | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}

function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  // soap turns xs:dateTime into a Date.
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v.toISOString();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const o = obj(v);
  return o && '$value' in o ? text(o.$value) : undefined;
}

export interface StandardRetur {
  readonly statusKode: number;
  readonly fejlbeskedTekst?: string;
}

export function standardReturOf(reply: unknown): StandardRetur | undefined {
  const sr = obj(obj(reply)?.StandardRetur);
  const kode = Number(text(sr?.StatusKode));
  if (!sr || !Number.isInteger(kode)) return undefined;
  const tekst = text(sr.FejlbeskedTekst);
  return { statusKode: kode, ...(tekst === undefined ? {} : { fejlbeskedTekst: tekst }) };
}

/** Name, key and values from an AttributListe; the values of every Egenskab together. */
function fromAttributListe(liste: unknown): Pick<Vaerdiliste, 'navn' | 'brugervendtNoegle' | 'vaerdier'> {
  let navn: string | undefined;
  let noegle: string | undefined;
  const vaerdier: string[] = [];
  for (const e of asArray(obj(liste)?.Egenskab)) {
    const vl = obj(obj(e)?.Vaerdiliste);
    navn ??= text(vl?.Navn);
    noegle ??= text(obj(e)?.BrugervendtNoegleTekst);
    for (const v of asArray(vl?.Vaerdi)) {
      const t = text(v);
      if (t !== undefined) vaerdier.push(t);
    }
  }
  return { navn: navn ?? '', ...(noegle === undefined ? {} : { brugervendtNoegle: noegle }), vaerdier };
}

/** A Registrering (or FiltreretOejebliksbillede) as a Vaerdiliste. */
export function vaerdilisteOf(registrering: unknown, uuid?: string): Vaerdiliste {
  const r = obj(registrering) ?? {};
  const id = uuid ?? text(r.UUIDIdentifikator);
  const livscyklus = text(r.LivscyklusKode);
  const fra = text(obj(r.FraTidspunkt)?.TidsstempelDatoTid);
  return {
    ...(id === undefined ? {} : { uuid: id.toLowerCase() }),
    ...fromAttributListe(r.AttributListe),
    ...(livscyklus === undefined ? {} : { livscyklus }),
    ...(fra === undefined ? {} : { fra }),
  };
}

function fromLaesResultat(resultat: unknown, uuid?: string): Vaerdiliste | undefined {
  const r = obj(resultat);
  const reg = obj(asArray(r?.Registrering)[0]);
  if (reg) return vaerdilisteOf(reg, uuid);
  const billede = obj(r?.FiltreretOejebliksbillede);
  return billede ? vaerdilisteOf(billede, uuid) : undefined;
}

export function laesReplyOf(reply: unknown, uuid: string): Vaerdiliste | undefined {
  return fromLaesResultat(obj(reply)?.LaesResultat, uuid);
}

/**
 * ListOutput's results carry no id of their own (a Registrering has none); they are matched to
 * the ids asked for by position only when the counts agree.
 */
export function listReplyOf(reply: unknown, uuids: readonly string[]): Vaerdiliste[] {
  const results = asArray(obj(reply)?.LaesResultat);
  const byPosition = results.length === uuids.length;
  return results
    .map((r, i) => fromLaesResultat(r, byPosition ? uuids[i] : undefined))
    .filter((v): v is Vaerdiliste => v !== undefined);
}

export function soegReplyOf(reply: unknown): string[] {
  return asArray(obj(obj(reply)?.IdListe)?.UUIDIdentifikator)
    .map(text)
    .filter((t): t is string => t !== undefined)
    .map((t) => t.toLowerCase());
}

/** OpretOutput: the new list with the id the service gave it. */
export function opretReplyOf(reply: unknown): Vaerdiliste | undefined {
  const vl = obj(obj(reply)?.Vaerdiliste);
  const uuid = text(vl?.UUIDIdentifikator);
  if (!vl || uuid === undefined) return undefined;
  return vaerdilisteOf(asArray(vl.Registrering)[0], uuid);
}

/** RegistreringOutput (import, ret, passiver, slet): the registration made, when sent. */
export function registreringReplyOf(reply: unknown, uuid: string): Vaerdiliste | undefined {
  const reg = obj(obj(reply)?.Registrering);
  return reg ? vaerdilisteOf(reg, uuid) : undefined;
}
