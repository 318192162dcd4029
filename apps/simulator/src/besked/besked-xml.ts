import { HANDLING_IDS, PERSON_OBJEKTTYPE } from '../population/event-kinds';
import { personPayloadXml } from '../population/person-payload';
import type { SimEvent } from '../population/sim-event';
import { xmlEscape } from '../xml-escape';

/** Ids the simulator writes as sender, source system and distributor: its own, never KOMBIT's. */
export const SIM_IDS = Object.freeze({
  kildesystem: 'f3b1c2d4-5e6f-4a1b-8c2d-3e4f5a6b7c8d',
  beskedAnsvarligAktoer: '0c9d8e7f-6a5b-4c3d-9e1f-2a3b4c5d6e7f',
  fordelingssystem: '7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d',
  /** "Fortrolige personoplysninger", as in KOMBIT's sample messages. */
  sikkerhedsklassificering: '44f4108b-26d4-46de-a90f-35e35b55b8d8',
});

export const KUVERT_NS = 'urn:oio:besked:kuvert:1.0';
export const SAGDOK_NS = 'urn:oio:sagdok:3.0.0';

/** Facts about one delivery of an event to one subscription. */
export interface DeliveryInfo {
  /** 1 for the first attempt, then 2, 3 … */
  readonly attempt: number;
  readonly subscriptionId?: string;
  readonly deliveredAt?: Date;
  /** Recipient organisation's CVR, written as TilladtModtager `urn:oio:cvr:<cvr>`. */
  readonly recipientCvr?: string;
}

function id(value: string): string {
  return value.startsWith('urn:')
    ? `<URNIdentifikator>${xmlEscape(value)}</URNIdentifikator>`
    : `<UUIDIdentifikator>${xmlEscape(value)}</UUIDIdentifikator>`;
}

function ts(d: Date): string {
  return `<TidsstempelDatoTid>${d.toISOString()}</TidsstempelDatoTid>`;
}

const payloadCache = new WeakMap<SimEvent, string>();

/** The Base64 payload of an event (computed once per event). */
export function payloadBase64(event: SimEvent): string {
  let b64 = payloadCache.get(event);
  if (b64 === undefined) {
    b64 = Buffer.from(personPayloadXml(event), 'utf8').toString('base64');
    payloadCache.set(event, b64);
  }
  return b64;
}

/**
 * The event as a Haendelsesbesked valid against Beskedkuvert.xsd. Prefixes like KOMBIT's own
 * deliveries (sagdok as default namespace, ns2 for the envelope). Without `delivery` it is the
 * first attempt, delivered at the event's time (deterministic for a seed).
 */
export function haendelsesbeskedXml(
  event: SimEvent,
  delivery: DeliveryInfo = { attempt: 1 },
  withDeclaration = true,
): string {
  const cprUrn = `urn:oio:cpr-nr:${event.person.cpr}`;
  const kommune = event.kommunekoder[0];
  const when = ts(event.tidspunkt);
  const deliveredAt = delivery.deliveredAt ? ts(delivery.deliveredAt) : when;
  return (
    (withDeclaration ? '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' : '') +
    `<ns2:Haendelsesbesked xmlns="${SAGDOK_NS}" xmlns:ns2="${KUVERT_NS}">` +
    `<ns2:BeskedId>${id(event.beskedId)}</ns2:BeskedId>` +
    `<ns2:BeskedVersion>1.0</ns2:BeskedVersion>` +
    `<ns2:Beskedkuvert><ns2:Filtreringsdata>` +
    `<ns2:Beskedtype>${id(event.beskedtype)}</ns2:Beskedtype>` +
    `<ns2:BeskedAnsvarligAktoer>${id(SIM_IDS.beskedAnsvarligAktoer)}</ns2:BeskedAnsvarligAktoer>` +
    (delivery.recipientCvr
      ? `<ns2:TilladtModtager>${id(`urn:oio:cvr:${delivery.recipientCvr}`)}</ns2:TilladtModtager>`
      : '') +
    `<ns2:RelateretObjekt><ns2:ObjektId>${id(cprUrn)}</ns2:ObjektId>` +
    `<ns2:ObjektType>${id(PERSON_OBJEKTTYPE)}</ns2:ObjektType></ns2:RelateretObjekt>` +
    `<ns2:ObjektRegistrering>` +
    `<ns2:ObjektRegistreringId>${id(event.registreringId)}</ns2:ObjektRegistreringId>` +
    `<ns2:RegistreringsAktoer>${id(SIM_IDS.kildesystem)}</ns2:RegistreringsAktoer>` +
    `<ns2:Registreringstidspunkt>${when}</ns2:Registreringstidspunkt>` +
    (kommune !== undefined
      ? `<ns2:ObjektAnsvarligMyndighed>${id(`urn:cpr-haendelser:sim:kommunekode:${kommune}`)}</ns2:ObjektAnsvarligMyndighed>`
      : '') +
    `<ns2:ObjektId>${id(cprUrn)}</ns2:ObjektId>` +
    `<ns2:ObjektType>${id(PERSON_OBJEKTTYPE)}</ns2:ObjektType>` +
    `<ns2:ObjektHandling>${id(HANDLING_IDS[event.kind])}</ns2:ObjektHandling>` +
    `</ns2:ObjektRegistrering></ns2:Filtreringsdata>` +
    `<ns2:Leveranceinformation>` +
    `<ns2:Dannelsestidspunkt>${when}</ns2:Dannelsestidspunkt>` +
    `<ns2:TransaktionsId>${id(event.transaktionsId)}</ns2:TransaktionsId>` +
    `<ns2:Kildesystem>${id(SIM_IDS.kildesystem)}</ns2:Kildesystem>` +
    `<ns2:Sikkerhedsklassificering>${id(SIM_IDS.sikkerhedsklassificering)}</ns2:Sikkerhedsklassificering>` +
    `<ns2:Leveranceruter><ns2:Leverancerute>` +
    `<ns2:Fordelingssystem>${id(SIM_IDS.fordelingssystem)}</ns2:Fordelingssystem>` +
    `<ns2:ModtagelsesTidspunkt>${when}</ns2:ModtagelsesTidspunkt>` +
    `<ns2:LeveranceTidspunkt>${deliveredAt}</ns2:LeveranceTidspunkt>` +
    `<ns2:ModtagetFraSystem>${id(SIM_IDS.kildesystem)}</ns2:ModtagetFraSystem>` +
    (delivery.subscriptionId
      ? `<ns2:ErLeveretIHenholdTil>${id(delivery.subscriptionId)}</ns2:ErLeveretIHenholdTil>`
      : '') +
    `<ns2:LeveranceruteLokalUdvidelse><ns2:AntalLeveranceforsoeg>${delivery.attempt}</ns2:AntalLeveranceforsoeg></ns2:LeveranceruteLokalUdvidelse>` +
    `</ns2:Leverancerute></ns2:Leveranceruter>` +
    `</ns2:Leveranceinformation>` +
    `<ns2:GyldighedFra>${when}</ns2:GyldighedFra>` +
    `</ns2:Beskedkuvert>` +
    `<ns2:Beskeddata><Base64 xmlns="urn:besked:kuvert:1.0" content-type="application/xml" encoding="UTF-8" file-type=".xml">${payloadBase64(event)}</Base64></ns2:Beskeddata>` +
    `</ns2:Haendelsesbesked>`
  );
}

export const STS_NS = 'urn:oio:sts:1.0.0';

/** The push body: ModtagBeskedInput wrapping one Haendelsesbesked. */
export function modtagBeskedInputXml(event: SimEvent, delivery: DeliveryInfo): string {
  return wrapModtagBeskedInput(haendelsesbeskedXml(event, delivery, false));
}

/** Wraps any Haendelsesbesked text (also a deliberately malformed one) for push. */
export function wrapModtagBeskedInput(besked: string): string {
  const body = besked.replace(/^<\?xml[^>]*\?>\s*/, '');
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    `<ns4:ModtagBeskedInput xmlns:ns4="${STS_NS}">${body}</ns4:ModtagBeskedInput>`
  );
}
