import { XMLParser } from 'fast-xml-parser';

/**
 * The facts of a SAML 2.0 assertion a client needs (read, not verified: the broker and the STS
 * verify). The XML itself is the SASL EXTERNAL response and a bearer secret: it is held
 * privately and left out of `inspect`/JSON, so logging a token shows only its facts.
 */
export class SamlToken {
  readonly #xml: string;

  constructor(
    xml: string,
    readonly id: string | undefined,
    readonly subject: string | undefined,
    readonly audience: string | undefined,
    readonly notBefore: Date | undefined,
    readonly notOnOrAfter: Date,
  ) {
    this.#xml = xml;
  }

  /** The assertion XML, for the SASL response only. */
  assertionXml(): string {
    return this.#xml;
  }

  /** Seconds left (negative once expired). */
  secondsLeft(now: Date = new Date()): number {
    return (this.notOnOrAfter.getTime() - now.getTime()) / 1000;
  }

  describe(): { subject: string | undefined; audience: string | undefined; notOnOrAfter: string } {
    return { subject: this.subject, audience: this.audience, notOnOrAfter: this.notOnOrAfter.toISOString() };
  }

  toJSON(): ReturnType<SamlToken['describe']> {
    return this.describe();
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `SamlToken(${this.audience ?? '?'}, until ${this.notOnOrAfter.toISOString()})`;
  }
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: true,
});

type Node = Record<string, unknown>;

function child(node: unknown, name: string): Node | undefined {
  if (node === null || typeof node !== 'object') return undefined;
  const v = (node as Node)[name];
  const one = Array.isArray(v) ? (v[0] as unknown) : v;
  if (typeof one === 'string') return { '#text': one };
  return one !== null && typeof one === 'object' ? (one as Node) : undefined;
}

function text(node: Node | undefined): string | undefined {
  const t = node?.['#text'];
  return typeof t === 'string' ? t.trim() : undefined;
}

function date(v: unknown): Date | undefined {
  if (typeof v !== 'string') return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** What an assertion says, any namespace prefix; `notOnOrAfter` undefined when Conditions lacks it. */
export interface AssertionFacts {
  id: string | undefined;
  subject: string | undefined;
  audience: string | undefined;
  notBefore: Date | undefined;
  notOnOrAfter: Date | undefined;
}

/** Reads an assertion's facts; undefined when the XML is not a SAML Assertion. */
export function readAssertion(xml: string): AssertionFacts | undefined {
  let doc: unknown;
  try {
    doc = parser.parse(xml);
  } catch {
    return undefined;
  }
  const a = child(doc, 'Assertion');
  if (a === undefined) return undefined;
  const conditions = child(a, 'Conditions');
  const id = a['@ID'];
  return {
    id: typeof id === 'string' ? id : undefined,
    subject: text(child(child(a, 'Subject'), 'NameID')),
    audience: text(child(child(conditions, 'AudienceRestriction'), 'Audience')),
    notBefore: date(conditions?.['@NotBefore']),
    notOnOrAfter: date(conditions?.['@NotOnOrAfter']),
  };
}
