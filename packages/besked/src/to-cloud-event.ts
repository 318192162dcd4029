import type { Haendelsesbesked, Tidspunkt } from './besked-model';
import {
  BESKED_EVENT_TYPE,
  CPR_EVENT_TYPE,
  PERSON_OBJEKTTYPE,
  type BeskeddataData,
  type CprCloudEvent,
  type CprEventData,
  type RegistreringData,
  type RelateretObjektData,
} from './cloud-event';
import { createCatalogue, type EventCatalogue } from './event-catalogue';
import { cprOf, idOrNull, idString, isCprUrn } from './ids';
import { parseBesked } from './parse-besked';
import type { ParseOptions } from './parse-options';

export interface ToCloudEventOptions {
  /** The channel, see eventSources. */
  source: string;
  /** Names ObjektHandling ids; default: the built-in catalogue. */
  catalogue?: EventCatalogue;
}

const defaultCatalogue = createCatalogue();

/** A timestamp as RFC 3339; a GraenseIndikator (open bound) has no instant: null. */
function time(t: Tidspunkt | undefined): string | null {
  return t !== undefined && t.kind === 'tidsstempel' ? t.rfc3339 : null;
}

/** Maps a parsed message to the CloudEvent contract (see cloud-event.ts). Never throws. */
export function toCloudEvent(besked: Haendelsesbesked, options: ToCloudEventOptions): CprCloudEvent {
  const catalogue = options.catalogue ?? defaultCatalogue;
  const kuvert = besked.beskedkuvert;
  const filtrering = kuvert.filtreringsdata;
  const levering = kuvert.leveranceinformation;

  let person = false;
  const registreringer: RegistreringData[] = filtrering.objektRegistreringer.map((r) => {
    const objektType = idOrNull(r.objektType);
    if (isCprUrn(r.objektId) || objektType === PERSON_OBJEKTTYPE) person = true;
    const handling = idOrNull(r.objektHandling);
    return {
      registreringId: idOrNull(r.objektRegistreringId),
      registreringsAktoer: idOrNull(r.registreringsAktoer),
      registreringstidspunkt: time(r.registreringstidspunkt),
      myndighed: idOrNull(r.objektAnsvarligMyndighed),
      objektId: idOrNull(r.objektId),
      objektType,
      handling,
      haendelse: handling === null ? null : (catalogue.lookup(handling)?.name ?? null),
      opgaveEmne: idOrNull(r.opgaveEmne),
      cpr: cprOf(r.objektId),
    };
  });

  const relateredeObjekter: RelateretObjektData[] = filtrering.relateredeObjekter.map((o) => ({
    objektId: idString(o.objektId),
    objektType: idString(o.objektType),
    objektRolle: idOrNull(o.objektRolle),
    cpr: cprOf(o.objektId),
  }));

  let antal: number | null = null;
  for (const rute of levering.leveranceruter ?? []) {
    const n = rute.lokalUdvidelse?.antalLeveranceforsoeg;
    if (n !== undefined && (antal === null || n > antal)) antal = n;
  }

  const beskeddata: BeskeddataData[] = besked.beskeddata.map((d) =>
    d.kind === 'base64'
      ? {
          contentType: d.contentType ?? null,
          encoding: d.encoding ?? null,
          fileType: d.fileType ?? null,
          xml: d.xml,
        }
      : { contentType: null, encoding: null, fileType: null, xml: d.xml },
  );

  const dannelsestidspunkt = time(levering.dannelsestidspunkt);
  const beskedId = idString(besked.beskedId);
  const data: CprEventData = {
    beskedId,
    beskedVersion: besked.beskedVersion ?? null,
    beskedtype: idString(filtrering.beskedtype),
    beskedAnsvarligAktoer: idOrNull(filtrering.beskedAnsvarligAktoer),
    tilladteModtagere: filtrering.tilladteModtagere.map(idString),
    transaktionsId: idOrNull(levering.transaktionsId),
    kildesystem: idOrNull(levering.kildesystem),
    sikkerhedsklassificering: idOrNull(levering.sikkerhedsklassificering),
    antalLeveranceforsoeg: antal,
    dannelsestidspunkt,
    gyldighedFra: time(kuvert.gyldighedFra),
    gyldighedTil: time(kuvert.gyldighedTil),
    relateredeObjekter,
    registreringer,
    beskeddata,
  };
  const head = {
    specversion: '1.0',
    id: beskedId,
    source: options.source,
    type: person ? CPR_EVENT_TYPE : BESKED_EVENT_TYPE,
    datacontenttype: 'application/json',
  } as const;
  // `time` is omitted, not null, when there is none; it sits before `data` in the JSON.
  return dannelsestidspunkt === null ? { ...head, data } : { ...head, time: dannelsestidspunkt, data };
}

/**
 * Parse + map in one step, from the exact bytes received: the worker's, dead-letter replay's and
 * `cprh inspect`'s one path. Throws BeskedError.
 */
export function beskedToCloudEvent(
  input: Uint8Array | string,
  options: ParseOptions & ToCloudEventOptions,
): CprCloudEvent {
  return toCloudEvent(parseBesked(input, options), options);
}
