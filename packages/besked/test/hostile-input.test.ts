import {
  BESKED_ERROR_CODES,
  BeskedError,
  beskedToCloudEvent,
  parseBesked,
  type BeskedErrorCode,
} from '../src';
import { FIXTURE_CPRS, ownFixture, sharedFixture } from './support/fixtures';

const SOURCE = 'file:test';
const TESTBESKED01 = sharedFixture('testbesked01.xml').toString('utf8');
const PUSH = sharedFixture('exttest-sf1601-push.error.xml').toString('utf8');

/** The BeskedError that parsing `input` throws (fails the test when it does not throw one). */
function failure(input: string | Uint8Array, maxBytes?: number): BeskedError {
  try {
    beskedToCloudEvent(input, maxBytes === undefined ? { source: SOURCE } : { source: SOURCE, maxBytes });
  } catch (err) {
    if (err instanceof BeskedError) return err;
    throw err;
  }
  throw new Error('expected a BeskedError, parsing succeeded');
}

/** Removes the first element named `name` (any prefix) with its content. */
function without(xml: string, name: string): string {
  const re = new RegExp(`<(\\w+:)?${name}[\\s>][\\s\\S]*?</(\\w+:)?${name}>`);
  if (!re.test(xml)) throw new Error(`no ${name} in fixture`);
  return xml.replace(re, '');
}

const seen: BeskedError[] = [];
function expectCode(input: string | Uint8Array, code: BeskedErrorCode, maxBytes?: number): BeskedError {
  const err = failure(input, maxBytes);
  seen.push(err);
  expect(err.code).toBe(code);
  expect(err.message).not.toMatch(/\n/);
  return err;
}

describe('DOCTYPE and entity declarations', () => {
  it('refuses billion laughs fast, without expanding anything', () => {
    const started = performance.now();
    const err = expectCode(ownFixture('billion-laughs.xml'), 'BESKED_DTD_FORBIDDEN');
    expect(performance.now() - started).toBeLessThan(250);
    expect(err.message).toMatch(/DOCTYPE/);
  });

  it('refuses external entities (file and network) fast, without fetching', () => {
    const started = performance.now();
    expectCode(ownFixture('external-entity.xml'), 'BESKED_DTD_FORBIDDEN');
    expect(performance.now() - started).toBeLessThan(250);
  });

  it('refuses a bare DOCTYPE on an otherwise valid message', () => {
    const xml = TESTBESKED01.replace(
      '<ns2:Haendelsesbesked',
      '<!DOCTYPE x SYSTEM "x.dtd">\n<ns2:Haendelsesbesked',
    );
    expectCode(xml, 'BESKED_DTD_FORBIDDEN');
  });

  it('refuses a quadratic-blowup DOCTYPE of a megabyte in linear time', () => {
    const big = 'a'.repeat(1_000_000);
    const refs = '&a;'.repeat(10_000);
    const xml = `<!DOCTYPE r [<!ENTITY a "${big}">]><r>${refs}</r>`;
    const started = performance.now();
    expectCode(xml, 'BESKED_DTD_FORBIDDEN');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('refuses an ENTITY declaration outside a DOCTYPE and a DOCTYPE after the root', () => {
    expectCode(
      TESTBESKED01.replace('<ns2:BeskedId>', '<!ENTITY e "x"><ns2:BeskedId>'),
      'BESKED_DTD_FORBIDDEN',
    );
    expectCode(TESTBESKED01 + '<!DOCTYPE x>', 'BESKED_DTD_FORBIDDEN');
  });
});

describe('size limit', () => {
  const bytes = Buffer.from(TESTBESKED01, 'utf8');

  it('refuses input over the limit before parsing (even malformed input reports the size)', () => {
    expectCode(bytes, 'BESKED_TOO_LARGE', bytes.length - 1);
    expectCode(TESTBESKED01, 'BESKED_TOO_LARGE', bytes.length - 1);
    const err = expectCode('<<<not xml'.repeat(100), 'BESKED_TOO_LARGE', 100);
    expect(err.message).toMatch(/100 bytes/);
  });

  it('accepts input exactly at the limit', () => {
    expect(beskedToCloudEvent(bytes, { source: SOURCE, maxBytes: bytes.length }).id).toBe(
      '01157488-c45c-4fd2-b076-1de12effbf66',
    );
    expect(parseBesked(TESTBESKED01, { maxBytes: bytes.length }).beskedVersion).toBe('1.0');
  });

  it('counts UTF-8 bytes, not characters, for string input', () => {
    const xml = TESTBESKED01.replace('Hovedgaden', 'ÆØÅæøå'.repeat(10)); // 60 chars, 120 bytes
    const length = Buffer.byteLength(xml, 'utf8');
    expect(length).toBeGreaterThan(xml.length);
    expectCode(xml, 'BESKED_TOO_LARGE', length - 1);
    expect(() => parseBesked(xml, { maxBytes: length })).not.toThrow();
  });

  it('bounds nesting depth and element count (saxes resolves prefixes in depth² time)', () => {
    const inline = (content: string) =>
      TESTBESKED01.replace(
        /<ns2:Beskeddata>[\s\S]*<\/ns2:Beskeddata>/,
        `<ns2:Beskeddata>${content}</ns2:Beskeddata>`,
      );
    let started = performance.now();
    expect(
      expectCode(inline('<d>'.repeat(200_000) + '</d>'.repeat(200_000)), 'BESKED_TOO_LARGE').message,
    ).toMatch(/nested deeper than 100/);
    expect(performance.now() - started).toBeLessThan(500);
    started = performance.now();
    const wide = inline('<d>'.repeat(90) + '<d/>'.repeat(2_000_000) + '</d>'.repeat(90));
    expect(expectCode(wide, 'BESKED_TOO_LARGE').message).toMatch(/more than 100000 elements/);
    expect(performance.now() - started).toBeLessThan(2000);
    // Just inside both limits still parses.
    const ok = parseBesked(inline('<d>'.repeat(90) + '<d/>'.repeat(50_000) + '</d>'.repeat(90)));
    expect(ok.beskeddata[0]!.xml.startsWith('<d xmlns="urn:oio:sagdok:3.0.0"><d>')).toBe(true);
  });

  it('defaults to 10 MiB', () => {
    const padding = `<!--${' '.repeat(10 * 1024 * 1024)}-->`;
    expectCode(TESTBESKED01 + padding, 'BESKED_TOO_LARGE');
  });
});

describe('root element', () => {
  it('refuses an unknown root, naming its local name and namespace', () => {
    const err = expectCode('<Besked xmlns="urn:example:other"/>', 'BESKED_ROOT_UNKNOWN');
    expect(err.message).toContain('Besked');
    expect(err.message).toContain('urn:example:other');
    expect(err.path).toBe('Besked');
  });

  it('refuses Haendelsesbesked in the wrong namespace or in none', () => {
    const wrongNs = TESTBESKED01.replace(
      'xmlns:ns2="urn:oio:besked:kuvert:1.0"',
      'xmlns:ns2="urn:oio:besked:kuvert:2.0"',
    );
    expect(expectCode(wrongNs, 'BESKED_ROOT_UNKNOWN').message).toContain('urn:oio:besked:kuvert:2.0');
    expect(expectCode('<Haendelsesbesked/>', 'BESKED_ROOT_UNKNOWN').message).toContain('(none)');
  });

  it('refuses a SOAP envelope or a ModtagBeskedOutput', () => {
    expectCode(
      '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body/></s:Envelope>',
      'BESKED_ROOT_UNKNOWN',
    );
    expectCode('<ModtagBeskedOutput xmlns="urn:oio:sts:1.0.0"/>', 'BESKED_ROOT_UNKNOWN');
  });
});

describe('required elements', () => {
  it.each([
    ['BeskedId', 'Haendelsesbesked/BeskedId'],
    ['Beskedkuvert', 'Haendelsesbesked/Beskedkuvert'],
    ['Filtreringsdata', 'Haendelsesbesked/Beskedkuvert/Filtreringsdata'],
    ['Beskedtype', 'Haendelsesbesked/Beskedkuvert/Filtreringsdata/Beskedtype'],
  ])('a message without %s fails with path %s', (name, path) => {
    const err = expectCode(without(TESTBESKED01, name), 'BESKED_FIELD_MISSING');
    expect(err.path).toBe(path);
    expect(err.message).toContain(path);
  });

  it('a BeskedId without an identifier, or with an empty one, is missing', () => {
    const empty = TESTBESKED01.replace(
      '<UUIDIdentifikator>01157488-c45c-4fd2-b076-1de12effbf66</UUIDIdentifikator>',
      '<UUIDIdentifikator> </UUIDIdentifikator>',
    );
    expect(expectCode(empty, 'BESKED_FIELD_MISSING').path).toBe(
      'Haendelsesbesked/BeskedId/UUIDIdentifikator',
    );
    const noChild = without(TESTBESKED01.replace(/<!--[\s\S]*?-->/g, ''), 'UUIDIdentifikator');
    expect(expectCode(noChild, 'BESKED_FIELD_MISSING').path).toBe(
      'Haendelsesbesked/BeskedId/UUIDIdentifikator',
    );
  });

  it('elements in another namespace do not count (matching is by namespace, not name)', () => {
    const xml = TESTBESKED01.replace(/ns2:BeskedId>/g, 'x:BeskedId>').replace(
      '<x:BeskedId>',
      '<x:BeskedId xmlns:x="urn:example:other">',
    );
    expect(expectCode(xml, 'BESKED_FIELD_MISSING').path).toBe('Haendelsesbesked/BeskedId');
  });

  it('paths of a push body start at ModtagBeskedInput', () => {
    expect(expectCode(without(PUSH, 'Beskedtype'), 'BESKED_FIELD_MISSING').path).toBe(
      'ModtagBeskedInput/Haendelsesbesked/Beskedkuvert/Filtreringsdata/Beskedtype',
    );
    expect(
      expectCode('<ModtagBeskedInput xmlns="urn:oio:sts:1.0.0"></ModtagBeskedInput>', 'BESKED_FIELD_MISSING')
        .path,
    ).toBe('ModtagBeskedInput/Haendelsesbesked');
  });
});

describe('malformed XML', () => {
  it('names line and column', () => {
    const xml = TESTBESKED01.replace('</ns2:BeskedVersion>', '</ns2:BeskedVersio>');
    const line = TESTBESKED01.slice(0, TESTBESKED01.indexOf('</ns2:BeskedVersion>')).split('\n').length;
    const err = expectCode(xml, 'BESKED_XML_MALFORMED');
    expect(err.message).toMatch(new RegExp(`line ${line}, column \\d+`));
  });

  it.each([
    ['an unclosed root', TESTBESKED01.replace('</ns2:Haendelsesbesked>', '')],
    ['text after the root', TESTBESKED01 + 'trailing'],
    ['two roots', TESTBESKED01 + TESTBESKED01.replace(/^<\?xml[^>]*>/, '')],
    ['an unbound prefix', TESTBESKED01.replace('<ns2:BeskedVersion>1.0</ns2:BeskedVersion>', '<q:V>1</q:V>')],
    ['an undefined entity', TESTBESKED01.replace('Hovedgaden', '&nbsp;')],
    ['a bare ampersand', TESTBESKED01.replace('Hovedgaden', 'A & B')],
    ['a control character', TESTBESKED01.replace('Hovedgaden', 'A\u0001B')],
    ['empty input', ''],
    ['only an XML declaration', '<?xml version="1.0"?>'],
    ['plain text', 'hello'],
    ['JSON', '{"BeskedId": "x"}'],
  ])('refuses %s', (_what, xml) => {
    expectCode(xml, 'BESKED_XML_MALFORMED');
  });

  it('refuses bytes that are not valid in their encoding, and an encoding it does not read', () => {
    const latin1 = Buffer.from(TESTBESKED01, 'utf8');
    const at = latin1.indexOf('Hovedgaden') + 1;
    latin1[at] = 0xf8; // ø in ISO-8859-1, in a message that declares UTF-8
    expect(expectCode(latin1, 'BESKED_ENCODING_INVALID').message).toBe(
      `the message is not valid UTF-8 (first invalid byte sequence at offset ${at})`,
    );
    const ebcdic = Buffer.from(TESTBESKED01.replace('encoding="UTF-8"', 'encoding="IBM037"'), 'utf8');
    expect(expectCode(ebcdic, 'BESKED_ENCODING_INVALID').message).toMatch(/"IBM037"; supported: UTF-8/);
  });
});

describe('unusable values', () => {
  it.each([
    ['a timestamp that is no date', '2016-03-15T08:00:00', 'yesterday'],
    ['a 13th month', '2016-03-15T08:00:00', '2016-13-15T08:00:00'],
    ['the 30th of February', '2016-03-15T08:00:00', '2016-02-30T08:00:00'],
    ['an hour of 25', '2016-03-15T08:00:00', '2016-03-15T25:00:00'],
    ['an offset beyond 14 hours', '2016-03-15T08:00:00', '2016-03-15T08:00:00+15:00'],
  ])('refuses %s', (_what, from, to) => {
    const err = expectCode(TESTBESKED01.replace(from, to), 'BESKED_VALUE_INVALID');
    expect(err.path).toBe(
      'Haendelsesbesked/Beskedkuvert/Leveranceinformation/Dannelsestidspunkt/TidsstempelDatoTid',
    );
  });

  it('refuses a non-integer AntalLeveranceforsoeg', () => {
    const err = expectCode(
      PUSH.replace('>1</ns2:AntalLeveranceforsoeg>', '>one</ns2:AntalLeveranceforsoeg>'),
      'BESKED_VALUE_INVALID',
    );
    expect(err.path).toMatch(/AntalLeveranceforsoeg$/);
  });

  it('refuses Base64 content that is not Base64, decodes to invalid UTF-8, or holds elements', () => {
    expectCode(PUSH.replace(/(<Base64[^>]*>)PFBL/, '$1%%%%'), 'BESKED_VALUE_INVALID');
    const notUtf8 = Buffer.from([0xff, 0xfe, 0x41]).toString('base64');
    expectCode(PUSH.replace(/(<Base64[^>]*>)[^<]*/, `$1${notUtf8}`), 'BESKED_VALUE_INVALID');
    expectCode(PUSH.replace(/(<Base64[^>]*>)[^<]*/, '$1<x/>'), 'BESKED_VALUE_INVALID');
  });
});

describe('error messages', () => {
  it('never contain a CPR number, even when the bad part is one', () => {
    const cpr = '2204151234';
    const cases: Array<[string, string | Uint8Array]> = [
      ['tag name', TESTBESKED01.replace('</ns2:BeskedVersion>', `</a${cpr}>`)],
      ['unclosed tag', `<ns2:Haendelsesbesked xmlns:ns2="urn:oio:besked:kuvert:1.0"><p${cpr}>`],
      ['root namespace', `<Haendelsesbesked xmlns="urn:oio:cpr-nr:${cpr}"/>`],
      ['root name', `<cpr${cpr}/>`],
      ['timestamp value', TESTBESKED01.replace('2016-03-15T08:00:00<', `${cpr}<`)],
      ['unbound prefix', TESTBESKED01.replace('<ns2:BeskedVersion>', `<n${cpr}:BeskedVersion>`)],
      [
        'duplicate attribute',
        TESTBESKED01.replace('<ns2:BeskedVersion>', `<ns2:BeskedVersion a${cpr}="1" a${cpr}="2">`),
      ],
      ['bad base64', PUSH.replace(/(<Base64[^>]*>)PFBL/, `$1${cpr}!`)],
    ];
    for (const [, input] of cases) seen.push(failure(input));
    for (const err of seen) {
      for (const number of [...FIXTURE_CPRS, cpr]) {
        expect(err.message).not.toContain(number);
        expect(err.path ?? '').not.toContain(number);
      }
      expect(Object.keys(BESKED_ERROR_CODES)).toContain(err.code);
    }
    expect(seen.length).toBeGreaterThan(40);
  });
});
