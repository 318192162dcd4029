import { BeskedError, type Base64Beskeddata, type Haendelsesbesked } from '../src';
import { decodeInput } from '../src/decode-input';
import { readEnvelope } from '../src/envelope-reader';
import { scanEnvelope } from '../src/envelope-scanner';
import { DEFAULT_MAX_BYTES } from '../src/parse-options';
import { readXml } from '../src/xml-reader';
import { sharedFixture } from './support/fixtures';

// xml-reader takes Base64 character data without letting saxes scan it, when it is provably
// well-formed text; envelope-scanner slices it out of the source. These cases make sure neither
// shortcut changes a result or hides an error, for both readers.

const PUSH = sharedFixture('exttest-sf1601-push.success.xml').toString('utf8');
const PAYLOAD_B64 = /(<Base64[^>]*>)([^<]*)(<\/Base64>)/;
const original = PAYLOAD_B64.exec(PUSH)![2]!;

describe.each(['envelope-scanner', 'saxes reader'])('%s', (reader) => {
  function parseBesked(xml: string): Haendelsesbesked {
    const { text, encoding } = decodeInput(xml, DEFAULT_MAX_BYTES);
    const root = reader === 'envelope-scanner' ? scanEnvelope(text, encoding) : readXml(text, encoding).root;
    return readEnvelope(text, root);
  }

  function payload(xml: string): Base64Beskeddata {
    const d = parseBesked(xml).beskeddata[0]!;
    if (d.kind !== 'base64') throw new Error('expected a Base64 payload');
    return d;
  }

  function codeOf(xml: string): string {
    try {
      parseBesked(xml);
    } catch (err) {
      if (err instanceof BeskedError) return `${err.code} ${err.message}`;
      throw err;
    }
    return 'no error';
  }

  const expected = payload(PUSH).xml;

  describe('Base64 character data', () => {
    it('is the same when wrapped in 76-column CRLF lines', () => {
      const wrapped = original.replace(/(.{76})/g, '$1\r\n');
      expect(payload(PUSH.replace(PAYLOAD_B64, `$1\r\n${wrapped}\r\n$3`)).xml).toBe(expected);
    });

    it('is the same when written with character references (saxes reads those)', () => {
      const withRefs = `&#${original.charCodeAt(0)};${original.slice(1)}`;
      expect(payload(PUSH.replace(PAYLOAD_B64, `$1${withRefs}$3`)).xml).toBe(expected);
    });

    it('is the same when split by a comment or given as CDATA', () => {
      const half = 200;
      const split = `${original.slice(0, half)}<!-- split -->${original.slice(half)}`;
      expect(payload(PUSH.replace(PAYLOAD_B64, `$1${split}$3`)).xml).toBe(expected);
      expect(payload(PUSH.replace(PAYLOAD_B64, `$1<![CDATA[${original}]]>$3`)).xml).toBe(expected);
    });

    it('text after a comment is checked too, not only the chunk before it', () => {
      const split = `${original.slice(0, 200)}<!-- split -->%%%%${original.slice(200)}`;
      expect(codeOf(PUSH.replace(PAYLOAD_B64, `$1${split}$3`))).toMatch(/^BESKED_VALUE_INVALID/);
    });

    it('an empty or self-closing Base64 gives an empty payload', () => {
      expect(payload(PUSH.replace(PAYLOAD_B64, '$1$3')).xml).toBe('');
      expect(payload(PUSH.replace(PAYLOAD_B64, '<Base64 xmlns="urn:besked:kuvert:1.0"/>')).xml).toBe('');
    });

    it('a wrong end tag after the text is still malformed, at the right line', () => {
      const wrapped = original.replace(/(.{76})/g, '$1\n');
      const xml = PUSH.replace(PAYLOAD_B64, `$1\n${wrapped}\n</Base46>`);
      const line = xml.slice(0, xml.indexOf('</Base46>')).split('\n').length;
      expect(codeOf(xml)).toMatch(new RegExp(`^BESKED_XML_MALFORMED .*line ${line}, column \\d+`));
    });

    it('a character XML forbids inside the text is malformed', () => {
      expect(
        codeOf(PUSH.replace(PAYLOAD_B64, `$1${original.slice(0, 10)}\f${original.slice(10)}$3`)),
      ).toMatch(/^BESKED_XML_MALFORMED/);
    });

    it('padding in the middle or characters outside the alphabet are invalid values', () => {
      expect(codeOf(PUSH.replace(PAYLOAD_B64, `$1${original.slice(0, 8)}=${original.slice(8)}$3`))).toMatch(
        /^BESKED_VALUE_INVALID/,
      );
      expect(codeOf(PUSH.replace(PAYLOAD_B64, `$1${original}&amp;$3`))).toMatch(/^BESKED_VALUE_INVALID/);
    });

    it('text that only looks like Base64 elsewhere is parsed by saxes as usual', () => {
      const xml = PUSH.replace(
        '<ns2:BeskedVersion>1.0</ns2:BeskedVersion>',
        '<ns2:BeskedVersion>Base64>1.0</ns2:BeskedVersion>',
      );
      expect(parseBesked(xml).beskedVersion).toBe('Base64>1.0');
      expect(payload(xml).xml).toBe(expected);
    });

    it('a parser that failed is not reused half-way: the next parse is clean', () => {
      expect(codeOf(PUSH.slice(0, PUSH.indexOf('</Base64>')))).toMatch(/^BESKED_XML_MALFORMED/);
      expect(payload(PUSH).xml).toBe(expected);
    });
  });
});
