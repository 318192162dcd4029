import { standardReturXml } from './vaerdiliste-reply-xml';

/*
 * Reading the `soap` package's plain objects (namespaces dropped, a repeated element becomes an
 * array, a single one does not) and writing StandardRetur answers.
 */

/** StandardRetur status codes used here (OIO: 20 OK, 40 bad input, 44 not found, 50 server error). */
export const STATUS = { OK: 20, BAD_INPUT: 40, NOT_FOUND: 44, ERROR: 50 } as const;

export type Args = Record<string, unknown>;
export type Reply = { $xml: string };

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function asArray(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

export function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  // soap gives { $value } for elements with attributes.
  if (v && typeof v === 'object' && '$value' in v) return text(v.$value);
  return undefined;
}

/** soap's raw-XML key: the string is written as the operation element's content. */
export function raw(...parts: string[]): Reply {
  return { $xml: parts.join('') };
}

/** An answer that is only StandardRetur. */
export function retur(status: number, tekst: string): Reply {
  return raw(standardReturXml(status, tekst));
}

/** A refused operation: the StandardRetur status and text it answers. */
export class ServiceFault extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The request's UUIDIdentifikator, lower-case (40 when missing or not a UUID). */
export function uuidArg(args: Args): string {
  const id = text(args.UUIDIdentifikator)?.trim();
  if (!id || !UUID.test(id))
    throw new ServiceFault(STATUS.BAD_INPUT, 'UUIDIdentifikator mangler eller er ugyldig');
  return id.toLowerCase();
}

/** The request's Vaerdier, trimmed, empty ones dropped. */
export function valuesArg(args: Args): string[] {
  return asArray(args.Vaerdier)
    .map(text)
    .filter((v): v is string => v !== undefined)
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}

/** Name, user key and values from an AttributListe (all Egenskab elements). */
export function fromAttributListe(liste: unknown): { navn?: string; noegle?: string; vaerdier: string[] } {
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
