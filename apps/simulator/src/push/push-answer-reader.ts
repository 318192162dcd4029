import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** KOMBIT's contract for the answer to a push (AnvendersystemOperationer.xsd, SagDokObjekt.xsd). */
export const NS_STS = 'urn:oio:sts:1.0.0';
export const NS_SAGDOK = 'urn:oio:sagdok:3.0.0';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributesGroupName: '@',
  attributeNamePrefix: '',
  removeNSPrefix: false,
  processEntities: false,
  parseTagValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

type Scope = ReadonlyMap<string, string>;
interface Element {
  readonly ns: string | undefined;
  readonly local: string;
  readonly node: Record<string, unknown>;
  readonly scope: Scope;
}

/** The element's namespace declarations added to its parent's. */
function scopeOf(node: Record<string, unknown>, parent: Scope): Scope {
  const attrs = node['@'] as Record<string, string> | undefined;
  if (attrs === undefined) return parent;
  const scope = new Map(parent);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === 'xmlns') scope.set('', value);
    else if (name.startsWith('xmlns:')) scope.set(name.slice(6), value);
  }
  return scope;
}

/** The child elements of `node`, each with its resolved namespace. */
function children(node: Record<string, unknown>, parentScope: Scope): Element[] {
  const scope = scopeOf(node, parentScope);
  const out: Element[] = [];
  for (const [name, value] of Object.entries(node)) {
    if (name === '@' || name === '#text') continue;
    for (const v of Array.isArray(value) ? (value as unknown[]) : [value]) {
      const child = typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : { '#text': v };
      const childScope = scopeOf(child, scope);
      const colon = name.indexOf(':');
      const prefix = colon < 0 ? '' : name.slice(0, colon);
      out.push({ ns: childScope.get(prefix), local: name.slice(colon + 1), node: child, scope });
    }
  }
  return out;
}

const is = (e: Element | undefined, ns: string, local: string): e is Element =>
  e !== undefined && e.ns === ns && e.local === local;

/**
 * The StatusKode of a push answer as KOMBIT reads it, or undefined when the body is not a
 * `ModtagBeskedOutput` in `urn:oio:sts:1.0.0` holding exactly one `StandardRetur` in
 * `urn:oio:sagdok:3.0.0` (StatusKode, optional FejlbeskedTekst, both in that namespace): another
 * namespace, none, or another element name is refused as KOMBIT refuses it.
 */
export function pushAnswerStatus(body: string): number | undefined {
  if (XMLValidator.validate(body) !== true) return undefined;
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(body) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const roots = children(doc, new Map());
  const root = roots[0];
  if (roots.length !== 1 || !is(root, NS_STS, 'ModtagBeskedOutput')) return undefined;
  const inRoot = children(root.node, root.scope);
  const retur = inRoot[0];
  if (inRoot.length !== 1 || !is(retur, NS_SAGDOK, 'StandardRetur')) return undefined;
  const fields = children(retur.node, retur.scope);
  const [kode, tekst, ...rest] = fields;
  if (!is(kode, NS_SAGDOK, 'StatusKode') || rest.length > 0) return undefined;
  if (tekst !== undefined && !is(tekst, NS_SAGDOK, 'FejlbeskedTekst')) return undefined;
  const raw = kode.node['#text'];
  const text = (typeof raw === 'string' ? raw : '').trim();
  return /^\d+$/.test(text) ? Number(text) : undefined;
}
