import type { EnvelopeIds } from './envelope-ids';
import { EnvelopeScanner } from './envelope-scanner';
import { cprOf, idString } from './ids';
import * as ns from './namespaces';
import { peekText } from './peek-text';
import { detectEncoding } from './text-encoding';

// Plain local constants: imported bindings compile to getter calls under CJS (per element here).
const NS_KUVERT: string = ns.NS_KUVERT;
const NS_SAGDOK: string = ns.NS_SAGDOK;
const NS_STS: string = ns.NS_STS;

const NOT_COLLECTING = 0;
const UUID = 1;
const URN = 2;
const OBJEKT = 3;

/**
 * Most peeks end within the first KiB or two (BeskedId, then Filtreringsdata's first ObjektId), so
 * only this much is decoded first; the whole text only when reading did not end there.
 */
const FIRST_BYTES = 2048;

/** What an idle scanner holds between peeks: nothing of the last message (its CPR number). */
const NOTHING: EnvelopeIds = Object.freeze({ beskedId: null, cpr: null });

/**
 * The envelope scanner's tokenizer, strictness and limits without its tree: the element and text
 * hooks follow the path to the BeskedId and to Filtreringsdata's ObjektIds, the way the saxes peek
 * (peek-with-saxes.ts) follows its events.
 */
class IdPeekScanner extends EnvelopeScanner {
  private wantCpr = true;
  private out: EnvelopeIds = NOTHING;
  /** The open elements' namespaces and local names, root first. */
  private pathNs: string[] = [];
  private pathLocal: string[] = [];
  private collecting = NOT_COLLECTING;
  private collected = '';

  /** The ids in `text`; undefined when it declares XML 1.1 (the saxes peek reads it). */
  peek(text: string, wantCpr: boolean): { ids: EnvelopeIds; stopped: boolean } | undefined {
    this.wantCpr = wantCpr;
    const out: EnvelopeIds = { beskedId: null, cpr: null };
    this.out = out;
    this.pathNs.length = this.pathLocal.length = 0;
    this.collecting = NOT_COLLECTING;
    this.collected = '';
    try {
      if (!this.scanDocument(text, 'UTF-8')) return undefined;
    } catch {
      // The text is not well-formed (or too large) from some point on: what was found before that
      // point is the answer, as with the saxes peek.
    } finally {
      this.pathNs.length = this.pathLocal.length = 0;
      this.collected = '';
      this.out = NOTHING;
    }
    return { ids: out, stopped: this.stopped };
  }

  private done(): boolean {
    return this.out.beskedId !== null && (!this.wantCpr || this.out.cpr !== null);
  }

  protected override element(_name: string, _prefix: string, local: string, uri: string): void {
    this.countElement();
    const pathNs = this.pathNs;
    const pathLocal = this.pathLocal;
    const n = pathNs.push(uri);
    pathLocal.push(local);
    if (n === 1) {
      if (!(
        (uri === NS_KUVERT && local === 'Haendelsesbesked') ||
        (uri === NS_STS && local === 'ModtagBeskedInput')
      )) {
        this.stopped = true;
      }
    }
    const base = pathLocal[0] === 'ModtagBeskedInput' && pathNs[0] === NS_STS ? 1 : 0;
    if (n <= base || pathNs[base] !== NS_KUVERT || pathLocal[base] !== 'Haendelsesbesked') return;
    const depth = n - base;
    if (depth === 3) {
      if (
        uri === NS_SAGDOK &&
        (local === 'UUIDIdentifikator' || local === 'URNIdentifikator') &&
        pathNs[base + 1] === NS_KUVERT &&
        pathLocal[base + 1] === 'BeskedId'
      ) {
        this.collecting = local === 'UUIDIdentifikator' ? UUID : URN;
        this.collected = '';
      }
    } else if (depth === 6) {
      const holder = pathLocal[base + 3];
      if (
        uri === NS_SAGDOK &&
        local === 'URNIdentifikator' &&
        pathNs[base + 4] === NS_KUVERT &&
        pathLocal[base + 4] === 'ObjektId' &&
        pathNs[base + 3] === NS_KUVERT &&
        (holder === 'RelateretObjekt' || holder === 'ObjektRegistrering') &&
        pathNs[base + 2] === NS_KUVERT &&
        pathLocal[base + 2] === 'Filtreringsdata' &&
        pathNs[base + 1] === NS_KUVERT &&
        pathLocal[base + 1] === 'Beskedkuvert'
      ) {
        this.collecting = OBJEKT;
        this.collected = '';
      }
    }
  }

  protected override closeElement(): void {
    this.depth--;
    const out = this.out;
    if (this.collecting !== NOT_COLLECTING) {
      const value = this.collected.trim();
      if (this.collecting === OBJEKT) {
        if (out.cpr === null) out.cpr = cprOf({ kind: 'urn', value });
      } else if (value !== '' && out.beskedId === null) {
        out.beskedId = idString({ kind: this.collecting === UUID ? 'uuid' : 'urn', value });
      }
      this.collecting = NOT_COLLECTING;
      if (this.done()) this.stopped = true;
    }
    const closedNs = this.pathNs.pop();
    const closed = this.pathLocal.pop();
    // Everything this reads is in the BeskedId and Filtreringsdata, before the payload.
    if (
      out.beskedId !== null &&
      closedNs === NS_KUVERT &&
      (closed === 'Filtreringsdata' || closed === 'Beskedkuvert')
    ) {
      this.stopped = true;
    }
  }

  protected override mismatchedEndTag(): void {
    this.closeElement();
  }

  protected override text(from: number, to: number): void {
    if (this.collecting !== NOT_COLLECTING) {
      const t = this.xml.slice(from, to);
      this.collected += t.indexOf('\r') < 0 ? t : t.replace(/\r\n?/g, '\n');
    }
  }

  protected override entityText(value: string): void {
    if (this.collecting !== NOT_COLLECTING) this.collected += value;
  }
}

let idle: IdPeekScanner | undefined;

/**
 * peekEnvelopeIds on the envelope scanner (the hot path: the poller reads every message's ids with
 * it); undefined for a document that declares XML 1.1. Never throws.
 */
export function peekWithScanner(input: Uint8Array | string, want: { cpr: boolean }): EnvelopeIds | undefined {
  const scanner = idle ?? new IdPeekScanner();
  idle = undefined; // not reentrant
  try {
    const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
    const { encoding, start } = detectEncoding(bytes);
    const first = peekText(bytes, encoding, start, FIRST_BYTES);
    const r = scanner.peek(first.text, want.cpr);
    if (r === undefined || r.stopped || first.complete) return r?.ids;
    // Reading ran past the first bytes: the same reading over all of the text.
    return scanner.peek(peekText(bytes, encoding, start, Infinity).text, want.cpr)?.ids;
  } catch {
    return { beskedId: null, cpr: null }; // detectEncoding refused the bytes, as the saxes peek sees it
  } finally {
    idle = scanner;
  }
}
