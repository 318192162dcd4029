import { BeskedError, beskedToCloudEvent, peekBeskedId, type CprCloudEvent } from '../src';
import { decodeInput, firstInvalidUtf8 } from '../src/decode-input';
import { DEFAULT_MAX_BYTES } from '../src/parse-options';
import { fixtures, int, MUTATIONS, pick, prng } from './support/envelope-mutations';
import { sharedFixture } from './support/fixtures';

const SOURCE = 'file:test';
const SEED = Number(process.env.BESKED_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const ID = '01157488-c45c-4fd2-b076-1de12effbf66';
// Danish letters in the payload, so each encoding's bytes differ from UTF-8's.
const TEXT = sharedFixture('testbesked01.xml').toString('utf8').replace('Hovedgaden', 'Høvedgåden');

function declaring(encoding: string | undefined): string {
  const decl = encoding === undefined ? '' : ` encoding="${encoding}"`;
  return TEXT.replace(/^<\?xml[^?]*\?>/, `<?xml version="1.0"${decl} standalone="yes"?>`);
}

const utf16be = (s: string): Buffer => Buffer.from(s, 'utf16le').swap16();
const BOM8 = Buffer.from([0xef, 0xbb, 0xbf]);
const BOM16LE = Buffer.from([0xff, 0xfe]);
const BOM16BE = Buffer.from([0xfe, 0xff]);

const event = (bytes: Uint8Array): CprCloudEvent => beskedToCloudEvent(bytes, { source: SOURCE });
function codeOf(bytes: Uint8Array): string {
  try {
    event(bytes);
    return 'parsed';
  } catch (err) {
    return err instanceof BeskedError ? `${err.code}: ${err.message}` : String(err);
  }
}

describe('decoding the bytes of a message', () => {
  const reference = event(Buffer.from(declaring('UTF-8'), 'utf8'));

  it('reads the Danish letters from the reference', () => {
    expect(reference.data.beskeddata[0]?.xml).toContain('Høvedgåden');
  });

  it.each<[string, Buffer]>([
    ['UTF-8 without a declared encoding', Buffer.from(declaring(undefined), 'utf8')],
    ['UTF-8 with a BOM', Buffer.concat([BOM8, Buffer.from(declaring('UTF-8'), 'utf8')])],
    ['ISO-8859-1 declared, latin1 bytes', Buffer.from(declaring('ISO-8859-1'), 'latin1')],
    ['latin1 declared (alias)', Buffer.from(declaring('latin1'), 'latin1')],
    ['windows-1252 declared', Buffer.from(declaring('windows-1252'), 'latin1')],
    ['UTF-16LE with a BOM', Buffer.concat([BOM16LE, Buffer.from(declaring('UTF-16'), 'utf16le')])],
    ['UTF-16BE with a BOM', Buffer.concat([BOM16BE, utf16be(declaring('UTF-16'))])],
    ['UTF-16BE with a BOM, no declared encoding', Buffer.concat([BOM16BE, utf16be(declaring(undefined))])],
  ])('%s gives the same event as UTF-8', (_what, bytes) => {
    expect(event(bytes)).toEqual(reference);
    expect(peekBeskedId(bytes)).toBe(ID);
  });

  it('reads windows-1252 bytes that ISO-8859-1 does not have (0x80 is €)', () => {
    const bytes = Buffer.from(declaring('windows-1252').replace('Høvedgåden', 'Høvedgåden \x80'), 'latin1');
    expect(event(bytes).data.beskeddata[0]?.xml).toContain('Høvedgåden €');
    const latin1 = Buffer.from(declaring('ISO-8859-1').replace('Høvedgåden', 'Høvedgåden \xe9'), 'latin1');
    expect(event(latin1).data.beskeddata[0]?.xml).toContain('Høvedgåden é');
  });

  it.each<[string, Buffer, RegExp]>([
    [
      'latin1 bytes in a message declaring UTF-8',
      Buffer.from(declaring('UTF-8'), 'latin1'),
      /not valid UTF-8 \(first invalid byte sequence at offset \d+\)/,
    ],
    ['latin1 bytes without a declaration', Buffer.from(declaring(undefined), 'latin1'), /not valid UTF-8/],
    [
      'a UTF-8 BOM and ISO-8859-1 declared',
      Buffer.concat([BOM8, Buffer.from(declaring('ISO-8859-1'), 'latin1')]),
      /byte order mark says UTF-8 but the XML declaration names "ISO-8859-1"/,
    ],
    [
      'a UTF-16LE BOM and UTF-16BE declared',
      Buffer.concat([BOM16LE, Buffer.from(declaring('UTF-16BE'), 'utf16le')]),
      /says UTF-16LE but .* "UTF-16BE"/,
    ],
    [
      'UTF-16 declared without a BOM',
      Buffer.from(declaring('UTF-16'), 'latin1'),
      /no UTF-16 byte order mark/,
    ],
    ['an unsupported encoding', Buffer.from(declaring('Shift_JIS'), 'latin1'), /"Shift_JIS"; supported/],
    [
      'US-ASCII declared with a byte over 0x7F',
      Buffer.from(declaring('US-ASCII'), 'latin1'),
      /not valid US-ASCII \(first invalid byte sequence at offset \d+\)/,
    ],
    [
      'UTF-16 with a lone surrogate',
      Buffer.concat([BOM16LE, Buffer.from(declaring('UTF-16').replace('Høvedgåden', '\ud800x'), 'utf16le')]),
      /not valid UTF-16LE/,
    ],
  ])('refuses %s as BESKED_ENCODING_INVALID', (_what, bytes, message) => {
    const got = codeOf(bytes);
    expect(got).toMatch(/^BESKED_ENCODING_INVALID: /);
    expect(got).toMatch(message);
  });

  it('reads the BeskedId of a message whose bad bytes come after it, not of one where they come before', () => {
    const after = Buffer.from(declaring('UTF-8'), 'utf8');
    after[after.indexOf('Høvedgåden') + 1] = 0xf8;
    expect(peekBeskedId(after)).toBe(ID);
    const before = Buffer.from(declaring('UTF-8'), 'utf8');
    before[before.indexOf(ID) - 5] = 0xf8;
    expect(peekBeskedId(before)).toBeNull();
  });

  it('treats a string as its UTF-8 bytes (one decoding path)', () => {
    expect(beskedToCloudEvent(declaring('UTF-8'), { source: SOURCE })).toEqual(reference);
    expect(codeOf(Buffer.from(declaring('Shift_JIS')))).toMatch(/^BESKED_ENCODING_INVALID/);
  });

  it('reads an ASCII string (taken without making bytes of it) exactly as its bytes', () => {
    // decodeInput's shortcut for ASCII strings against the bytes path, on mutated envelopes whose
    // declarations name every encoding (UTF-16 without a BOM, unknown ones, none) and on a limit.
    const r = prng(SEED);
    const texts = fixtures().map((f) => f.text.replace(/[^\t\n\r -~]/g, '?'));
    const outcome = (input: string | Buffer, max: number): string => {
      try {
        const { text, encoding } = decodeInput(input, max);
        return `${encoding} ${text}`;
      } catch (err) {
        return err instanceof BeskedError ? `${err.code}: ${err.message}` : String(err);
      }
    };
    const seen = new Set<string>();
    for (let n = 0; n < 2000; n++) {
      let s = pick(r, texts);
      for (let k = 1 + int(r, 2); k > 0; k--) s = pick(r, MUTATIONS)(r, s, texts);
      s = s.replace(/[^\t\n\r -~]/g, '?');
      const max = r() < 0.1 ? int(r, s.length + 2) : DEFAULT_MAX_BYTES;
      const got = outcome(s, max);
      expect([n, got]).toEqual([n, outcome(Buffer.from(s, 'utf8'), max)]);
      seen.add(got.slice(0, got.indexOf(' ')));
    }
    // Reached: texts read in several encodings, and each way of refusing one.
    expect([...seen].sort()).toEqual(
      expect.arrayContaining(['BESKED_ENCODING_INVALID:', 'BESKED_TOO_LARGE:', 'ISO-8859-1', 'UTF-8']),
    );
  });

  it('finds the first invalid UTF-8 sequence', () => {
    const at = (...b: number[]): number | undefined => firstInvalidUtf8(Buffer.from(b));
    expect(at(0x41, 0xc3, 0xb8, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80)).toBeUndefined();
    expect(at(0x41, 0xc3)).toBe(1); // truncated
    expect(at(0x41, 0xc0, 0x80)).toBe(1); // overlong
    expect(at(0x41, 0x42, 0xed, 0xa0, 0x80)).toBe(2); // a surrogate
    expect(at(0xf4, 0x90, 0x80, 0x80)).toBe(0); // over U+10FFFF
    expect(at(0x41, 0x80)).toBe(1); // a lone continuation byte
    expect(at(0xe2, 0x82, 0x41)).toBe(0);
  });
});
