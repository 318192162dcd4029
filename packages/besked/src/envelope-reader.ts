import { modtagBeskedInputContent } from './modtag-besked-input';
import { BeskedError } from './besked-error';
import type {
  Beskeddata,
  Beskedkuvert,
  Filtreringsdata,
  Haendelsesbesked,
  Leveranceinformation,
  LeveranceinformationLokalUdvidelse,
  Leverancerute,
  LeveranceruteLokalUdvidelse,
  Modtagerhandling,
  ObjektRegistrering,
  ObjektRegistreringLokalUdvidelse,
  RelateretObjekt,
  Tidspunkt,
  UnikId,
} from './besked-model';
import { decodeBase64Payload } from './base64-payload';
import { unikId } from './ids';
import * as ns from './namespaces';
import { toRfc3339 } from './timestamp';
import type { XNode } from './xml-tree';

/** Turns the XNode tree of xml-reader into the typed model; enforces the required elements. */

// Plain local constants: imported bindings compile to getter calls under CJS, measurable per element.
const NS_BASE64: string = ns.NS_BASE64;
const NS_KUVERT: string = ns.NS_KUVERT;
const NS_SAGDOK: string = ns.NS_SAGDOK;
const NS_STS: string = ns.NS_STS;

function missing(path: string, what?: string): BeskedError {
  return new BeskedError('BESKED_FIELD_MISSING', `required element ${what ?? path} is missing`, { path });
}

function invalid(path: string, problem: string): BeskedError {
  return new BeskedError('BESKED_VALUE_INVALID', `${path}: ${problem}`, { path });
}

function child(node: XNode, ns: string, local: string): XNode | undefined {
  for (const c of node.children) if (c.local === local && c.ns === ns) return c;
  return undefined;
}

function requiredId(node: XNode | undefined, path: string): UnikId {
  const id = unikId(node);
  if (id !== undefined) return id;
  if (node === undefined) throw missing(path);
  throw new BeskedError('BESKED_FIELD_MISSING', `${path} has no UUIDIdentifikator or URNIdentifikator`, {
    path: `${path}/UUIDIdentifikator`,
  });
}

function tidspunkt(node: XNode, path: string): Tidspunkt | undefined {
  for (const c of node.children) {
    if (c.ns !== NS_SAGDOK) continue;
    if (c.local === 'TidsstempelDatoTid') {
      const value = c.text.trim();
      const rfc3339 = toRfc3339(value);
      if (rfc3339 === null) throw invalid(`${path}/TidsstempelDatoTid`, 'not an xs:dateTime we accept');
      return { kind: 'tidsstempel', value, rfc3339 };
    }
    if (c.local === 'GraenseIndikator') {
      const v = c.text.trim();
      if (v === 'true' || v === '1') return { kind: 'graense', graenseIndikator: true };
      if (v === 'false' || v === '0') return { kind: 'graense', graenseIndikator: false };
      throw invalid(`${path}/GraenseIndikator`, 'not an xs:boolean');
    }
  }
  return undefined;
}

function relateretObjekt(node: XNode, path: string): RelateretObjekt {
  let objektId: UnikId | undefined;
  let objektType: UnikId | undefined;
  let objektRolle: UnikId | undefined;
  for (const c of node.children) {
    if (c.ns !== NS_KUVERT) continue;
    if (c.local === 'ObjektId') objektId = unikId(c);
    else if (c.local === 'ObjektType') objektType = unikId(c);
    else if (c.local === 'ObjektRolle') objektRolle = unikId(c);
  }
  if (objektId === undefined) throw missing(`${path}/ObjektId`);
  if (objektType === undefined) throw missing(`${path}/ObjektType`);
  return { objektId, objektType, objektRolle };
}

function foreign(node: XNode): string[] {
  const out: string[] = [];
  for (const c of node.children) if (c.raw !== undefined) out.push(c.raw);
  return out;
}

function signatur(node: XNode | undefined): string | undefined {
  if (node === undefined) return undefined;
  for (const c of node.children) if (c.raw !== undefined) return c.raw;
  return undefined;
}

function objektRegistrering(node: XNode, path: string): ObjektRegistrering {
  const r: ObjektRegistrering = {
    objektRegistreringId: undefined,
    registreringsAktoer: undefined,
    registreringstidspunkt: undefined,
    objektAnsvarligMyndighed: undefined,
    objektId: undefined,
    objektType: undefined,
    objektHandling: undefined,
    opgaveEmne: undefined,
    lokalUdvidelse: undefined,
  };
  for (const c of node.children) {
    if (c.ns !== NS_KUVERT) continue;
    switch (c.local) {
      case 'ObjektRegistreringId':
        r.objektRegistreringId = unikId(c);
        break;
      case 'RegistreringsAktoer':
        r.registreringsAktoer = unikId(c);
        break;
      case 'Registreringstidspunkt':
        r.registreringstidspunkt = tidspunkt(c, `${path}/Registreringstidspunkt`);
        break;
      case 'ObjektAnsvarligMyndighed':
        r.objektAnsvarligMyndighed = unikId(c);
        break;
      case 'ObjektId':
        r.objektId = unikId(c);
        break;
      case 'ObjektType':
        r.objektType = unikId(c);
        break;
      case 'ObjektHandling':
        r.objektHandling = unikId(c);
        break;
      case 'OpgaveEmne':
        r.opgaveEmne = unikId(c);
        break;
      case 'ObjektRegistreringLokalUdvidelse': {
        const u: ObjektRegistreringLokalUdvidelse = {
          afsenderSystemSignatur: signatur(child(c, NS_KUVERT, 'AfsenderSystemSignatur')),
          other: foreign(c),
        };
        r.lokalUdvidelse = u;
        break;
      }
    }
  }
  return r;
}

function filtreringsdata(node: XNode, path: string): Filtreringsdata {
  let beskedtype: UnikId | undefined;
  let beskedtypeNode: XNode | undefined;
  const f: Omit<Filtreringsdata, 'beskedtype'> = {
    beskedAnsvarligAktoer: undefined,
    tilladteModtagere: [],
    relateredeObjekter: [],
    objektRegistreringer: [],
    tvaergaaendeProcesser: [],
  };
  for (const c of node.children) {
    if (c.ns !== NS_KUVERT) continue;
    switch (c.local) {
      case 'Beskedtype':
        beskedtypeNode = c;
        beskedtype = unikId(c);
        break;
      case 'BeskedAnsvarligAktoer':
        f.beskedAnsvarligAktoer = unikId(c);
        break;
      case 'TilladtModtager': {
        const id = unikId(c);
        if (id !== undefined) f.tilladteModtagere.push(id);
        break;
      }
      case 'RelateretObjekt':
        f.relateredeObjekter.push(relateretObjekt(c, `${path}/RelateretObjekt`));
        break;
      case 'ObjektRegistrering':
        f.objektRegistreringer.push(objektRegistrering(c, `${path}/ObjektRegistrering`));
        break;
      case 'TvaergaaendeProces': {
        const id = unikId(c);
        if (id !== undefined) f.tvaergaaendeProcesser.push(id);
        break;
      }
    }
  }
  if (beskedtype === undefined) beskedtype = requiredId(beskedtypeNode, `${path}/Beskedtype`);
  // Listed, not spread: a spread after another property is a runtime call per message.
  return {
    beskedtype,
    beskedAnsvarligAktoer: f.beskedAnsvarligAktoer,
    tilladteModtagere: f.tilladteModtagere,
    relateredeObjekter: f.relateredeObjekter,
    objektRegistreringer: f.objektRegistreringer,
    tvaergaaendeProcesser: f.tvaergaaendeProcesser,
  };
}

function antal(node: XNode, path: string): number {
  const v = node.text.trim();
  if (!/^[+-]?\d{1,15}$/.test(v)) throw invalid(path, 'not an xs:integer');
  return Number(v);
}

function leverancerute(node: XNode, path: string): Leverancerute {
  const r: Leverancerute = {
    fordelingssystem: undefined,
    modtagelsesTidspunkt: undefined,
    leveranceTidspunkt: undefined,
    modtagetFraSystem: undefined,
    erLeveretIHenholdTil: undefined,
    lokalUdvidelse: undefined,
  };
  for (const c of node.children) {
    if (c.ns !== NS_KUVERT) continue;
    switch (c.local) {
      case 'Fordelingssystem':
        r.fordelingssystem = unikId(c);
        break;
      case 'ModtagelsesTidspunkt':
        r.modtagelsesTidspunkt = tidspunkt(c, `${path}/ModtagelsesTidspunkt`);
        break;
      case 'LeveranceTidspunkt':
        r.leveranceTidspunkt = tidspunkt(c, `${path}/LeveranceTidspunkt`);
        break;
      case 'ModtagetFraSystem':
        r.modtagetFraSystem = unikId(c);
        break;
      case 'ErLeveretIHenholdTil':
        r.erLeveretIHenholdTil = unikId(c);
        break;
      case 'LeveranceruteLokalUdvidelse': {
        const a = child(c, NS_KUVERT, 'AntalLeveranceforsoeg');
        const u: LeveranceruteLokalUdvidelse = {
          antalLeveranceforsoeg:
            a === undefined
              ? undefined
              : antal(a, `${path}/LeveranceruteLokalUdvidelse/AntalLeveranceforsoeg`),
          other: foreign(c),
        };
        r.lokalUdvidelse = u;
        break;
      }
    }
  }
  return r;
}

function emptyLeveranceinformation(): Leveranceinformation {
  return {
    dannelsestidspunkt: undefined,
    transaktionsId: undefined,
    kildesystem: undefined,
    kildesystemIPAdresse: undefined,
    kildesystemAkkreditiver: undefined,
    sikkerhedsklassificering: undefined,
    leveranceruter: undefined,
    lokalUdvidelse: undefined,
  };
}

function leveranceinformation(node: XNode, path: string): Leveranceinformation {
  const l = emptyLeveranceinformation();
  for (const c of node.children) {
    if (c.ns !== NS_KUVERT) continue;
    switch (c.local) {
      case 'Dannelsestidspunkt':
        l.dannelsestidspunkt = tidspunkt(c, `${path}/Dannelsestidspunkt`);
        break;
      case 'TransaktionsId':
        l.transaktionsId = unikId(c);
        break;
      case 'Kildesystem':
        l.kildesystem = unikId(c);
        break;
      case 'KildesystemIPAdresse':
        l.kildesystemIPAdresse = c.text.trim();
        break;
      case 'KildesystemAkkreditiver':
        l.kildesystemAkkreditiver = c.text.trim();
        break;
      case 'Sikkerhedsklassificering':
        l.sikkerhedsklassificering = unikId(c);
        break;
      case 'Leveranceruter': {
        const ruter: Leverancerute[] = [];
        for (const r of c.children) {
          if (r.ns === NS_KUVERT && r.local === 'Leverancerute') {
            ruter.push(leverancerute(r, `${path}/Leveranceruter/Leverancerute`));
          }
        }
        l.leveranceruter = ruter;
        break;
      }
      case 'LeveranceinformationLokalUdvidelse': {
        const u: LeveranceinformationLokalUdvidelse = {
          beskedfordelerSignatur: signatur(child(c, NS_KUVERT, 'BeskedfordelerSignatur')),
          other: foreign(c),
        };
        l.lokalUdvidelse = u;
        break;
      }
    }
  }
  return l;
}

function modtagerhandling(node: XNode): Modtagerhandling {
  return {
    handling: unikId(child(node, NS_KUVERT, 'Handling')),
    responsmodtager: unikId(child(node, NS_KUVERT, 'Responsmodtager')),
  };
}

function beskedkuvert(node: XNode, path: string): Beskedkuvert {
  let filtrering: XNode | undefined;
  const k: Omit<Beskedkuvert, 'filtreringsdata'> = {
    leveranceinformation: emptyLeveranceinformation(),
    modtagerhandling: undefined,
    gyldighedFra: undefined,
    gyldighedTil: undefined,
  };
  for (const c of node.children) {
    if (c.ns !== NS_KUVERT) continue;
    switch (c.local) {
      case 'Filtreringsdata':
        filtrering = c;
        break;
      case 'Leveranceinformation':
        k.leveranceinformation = leveranceinformation(c, `${path}/Leveranceinformation`);
        break;
      case 'Modtagerhandling':
        k.modtagerhandling = modtagerhandling(c);
        break;
      case 'GyldighedFra':
        k.gyldighedFra = tidspunkt(c, `${path}/GyldighedFra`);
        break;
      case 'GyldighedTil':
        k.gyldighedTil = tidspunkt(c, `${path}/GyldighedTil`);
        break;
    }
  }
  if (filtrering === undefined) throw missing(`${path}/Filtreringsdata`);
  return {
    filtreringsdata: filtreringsdata(filtrering, `${path}/Filtreringsdata`),
    leveranceinformation: k.leveranceinformation,
    modtagerhandling: k.modtagerhandling,
    gyldighedFra: k.gyldighedFra,
    gyldighedTil: k.gyldighedTil,
  };
}

/** Inline content between the Beskeddata tags, each captured child made self-contained. */
function inlineContent(xml: string, node: XNode): string {
  let out = '';
  let cursor = node.contentStart;
  for (const s of node.segments ?? []) {
    out += xml.slice(cursor, s.start) + s.raw;
    cursor = s.end;
  }
  out += xml.slice(cursor, node.contentEnd);
  if (out.indexOf('\r') >= 0) out = out.replace(/\r\n?/g, '\n');
  return out.trim();
}

function beskeddata(xml: string, node: XNode, path: string): Beskeddata {
  const only = node.children.length === 1 ? node.children[0] : undefined;
  if (only !== undefined && only.ns === NS_BASE64 && node.segments === undefined && node.text.trim() === '') {
    const attrs = only.attrs ?? {};
    const encoding = attrs['encoding'];
    return {
      kind: 'base64',
      contentType: attrs['content-type'],
      encoding,
      fileType: attrs['file-type'],
      xml: decodeBase64Payload(only.text, encoding, `${path}/Base64`, only.base64Checked),
    };
  }
  return { kind: 'inline', xml: inlineContent(xml, node) };
}

/** Builds the model from the tree; `xml` is the source the tree was read from (for inline payloads). */
export function readEnvelope(xml: string, root: XNode): Haendelsesbesked {
  let besked = root;
  let path = 'Haendelsesbesked';
  const form: Haendelsesbesked['root'] = root.ns === NS_STS ? 'ModtagBeskedInput' : 'Haendelsesbesked';
  if (form === 'ModtagBeskedInput') {
    path = 'ModtagBeskedInput/Haendelsesbesked';
    besked = modtagBeskedInputContent(root);
  }
  let idNode: XNode | undefined;
  let version: string | undefined;
  let kuvertNode: XNode | undefined;
  const data: Beskeddata[] = [];
  for (const c of besked.children) {
    if (c.ns !== NS_KUVERT) continue;
    switch (c.local) {
      case 'BeskedId':
        idNode = c;
        break;
      case 'BeskedVersion':
        version = c.text.trim();
        break;
      case 'Beskedkuvert':
        kuvertNode = c;
        break;
      case 'Beskeddata':
        data.push(beskeddata(xml, c, `${path}/Beskeddata`));
        break;
    }
  }
  const beskedId = requiredId(idNode, `${path}/BeskedId`);
  if (kuvertNode === undefined) throw missing(`${path}/Beskedkuvert`);
  return {
    root: form,
    beskedId,
    beskedVersion: version,
    beskedkuvert: beskedkuvert(kuvertNode, `${path}/Beskedkuvert`),
    beskeddata: data,
  };
}
