import { readdirSync } from 'node:fs';
import { readFixture } from '@cprh/testkit';
import { checkPushBody, peekBeskedId, peekEnvelopeIds } from '../src';
import { ownFixture, sharedFixture, SHARED_FIXTURES } from './support/fixtures';

const bytes = (s: string) => Buffer.from(s, 'utf8');
const push = readFixture('beskeder/push-ModtagBeskedInput.minimal.xml');
const bare = readFixture('beskeder/testbesked01.xml');
const LIMIT = 1024 * 1024;

describe('checkPushBody', () => {
  it('finds the BeskedId of a ModtagBeskedInput and of a bare Haendelsesbesked', () => {
    expect(checkPushBody(bytes(push), LIMIT)).toEqual({
      kind: 'ok',
      beskedId: '248ce14c-a863-4fb5-9e6f-7df9ea850809',
      cpr: null,
    });
    expect(checkPushBody(bytes(bare), LIMIT).kind).toBe('ok');
    const upper = push.replace(
      '248ce14c-a863-4fb5-9e6f-7df9ea850809',
      '248CE14C-A863-4FB5-9E6F-7DF9EA850809',
    );
    expect(checkPushBody(bytes(upper), LIMIT)).toEqual({
      kind: 'ok',
      beskedId: '248ce14c-a863-4fb5-9e6f-7df9ea850809',
      cpr: null,
    });
  });

  it.each(readdirSync(SHARED_FIXTURES).filter((f) => f.endsWith('.xml')))(
    '%s: the same BeskedId and first CPR number as peekEnvelopeIds, in the one read',
    (file) => {
      const body = sharedFixture(file);
      const check = checkPushBody(body, LIMIT);
      expect(check).toEqual({ kind: 'ok', ...peekEnvelopeIds(body) });
    },
  );

  it('reads the first CPR number in document order, and none when only other URNs are named', () => {
    const full = ownFixture('full-envelope.xml');
    const check = checkPushBody(full, LIMIT);
    const peeked = peekEnvelopeIds(full).cpr;
    expect(peeked).not.toBeNull();
    expect(check.kind === 'ok' && check.cpr).toBe(peeked);
    const noPerson = bytes(bare.replace(/urn:oio:cpr-nr:(\d{10})/g, 'urn:oio:cvr-nr:$1'));
    expect(checkPushBody(noPerson, LIMIT)).toMatchObject({ kind: 'ok', cpr: null });
  });

  it.each([
    ['cut after the BeskedId', push.slice(0, Math.floor(push.length / 2)), 'BESKED_XML_MALFORMED'],
    [
      'a DTD with an external entity',
      push.replace('?>', '?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/hostname">]>'),
      'BESKED_DTD_FORBIDDEN',
    ],
    [
      'another root',
      '<?xml version="1.0"?><ModtagBeskedOutput xmlns="urn:oio:sts:1.0.0"/>',
      'BESKED_ROOT_UNKNOWN',
    ],
    ['not XML', 'hello', 'BESKED_XML_MALFORMED'],
    ['empty', '', 'BESKED_XML_MALFORMED'],
  ])('%s is unreadable', (_name, body, code) => {
    const r = checkPushBody(bytes(body), LIMIT);
    expect(r.kind).toBe('unreadable');
    expect(r.kind !== 'ok' && r.error.code).toBe(code);
  });

  it('bytes that are not UTF-8 are unreadable', () => {
    const r = checkPushBody(Buffer.from([0x3c, 0x61, 0xff, 0x3e]), LIMIT);
    expect(r.kind === 'unreadable' && r.error.code).toBe('BESKED_ENCODING_INVALID');
  });

  it.each([
    [
      'no Haendelsesbesked',
      '<sts:ModtagBeskedInput xmlns:sts="urn:oio:sts:1.0.0"/>',
      'ModtagBeskedInput/Haendelsesbesked',
    ],
    [
      'no BeskedId',
      push.replace(/<ns2:BeskedId>[\s\S]*?<\/ns2:BeskedId>/, ''),
      'ModtagBeskedInput/Haendelsesbesked/BeskedId',
    ],
    [
      'an empty BeskedId',
      push.replace(/<UUIDIdentifikator>248ce14c[^<]*</, '<UUIDIdentifikator> <'),
      'ModtagBeskedInput/Haendelsesbesked/BeskedId',
    ],
  ])('%s is incomplete', (_name, body, path) => {
    const r = checkPushBody(bytes(body), LIMIT);
    expect(r.kind).toBe('incomplete');
    expect(r.kind !== 'ok' && [r.error.code, r.error.path]).toEqual(['BESKED_FIELD_MISSING', path]);
  });

  it('over the byte limit is unreadable (BESKED_TOO_LARGE)', () => {
    const r = checkPushBody(bytes(push), 100);
    expect(r.kind === 'unreadable' && r.error.code).toBe('BESKED_TOO_LARGE');
  });

  describe('ModtagBeskedInput holds exactly one Haendelsesbesked (AnvendersystemOperationer.xsd)', () => {
    const inner = /<ns2:Haendelsesbesked>[\s\S]*<\/ns2:Haendelsesbesked>/.exec(push)?.[0] ?? '';
    const second = inner.replace(
      '248ce14c-a863-4fb5-9e6f-7df9ea850809',
      '00000000-a863-4fb5-9e6f-7df9ea850809',
    );

    it.each([
      ['a second Haendelsesbesked', push.replace(inner, inner + second), /holds 2 Haendelsesbesked/],
      ['three of them', push.replace(inner, inner + second + second), /holds 3 Haendelsesbesked/],
      [
        'another element in a foreign namespace',
        push.replace(inner, inner + '<x:Extra xmlns:x="urn:x"/>'),
        /besides/,
      ],
      ['another kuvert element', push.replace(inner, '<ns2:BeskedId/>' + inner), /besides/],
      ['text beside it', push.replace(inner, inner + 'stray text'), /besides/],
    ])('%s is refused as a whole (incomplete, BESKED_ELEMENT_UNEXPECTED)', (_name, body, text) => {
      expect(inner).not.toBe('');
      const r = checkPushBody(bytes(body), LIMIT);
      expect(r.kind).toBe('incomplete');
      expect(r.kind !== 'ok' && r.error.code).toBe('BESKED_ELEMENT_UNEXPECTED');
      expect(r.kind !== 'ok' && r.error.message).toMatch(text);
    });
  });

  describe('attributes and namespace declarations per element', () => {
    const head = '<?xml version="1.0"?><sts:ModtagBeskedInput xmlns:sts="urn:oio:sts:1.0.0"';
    /** One start tag of `n` attributes made by `attr`. */
    const tag = (n: number, attr: (i: number) => string): Buffer =>
      bytes(head + Array.from({ length: n }, (_v, i) => attr(i)).join('') + '/>');

    it.each([
      ['257 attributes', tag(257, (i) => ` a${i}="v"`), /more than 256 attributes/],
      ['65 namespace declarations', tag(65, (i) => ` xmlns:p${i}="urn:p"`), /more than 64 namespaces/],
    ])('%s on one element are BESKED_TOO_LARGE', (_name, body, text) => {
      const r = checkPushBody(body, LIMIT);
      expect(r.kind === 'unreadable' && [r.error.code, r.error.message]).toEqual([
        'BESKED_TOO_LARGE',
        expect.stringMatching(text),
      ]);
    });

    it('256 attributes and 64 declarations are fine', () => {
      const body =
        tag(192, (i) => ` a${i}="v"`)
          .toString()
          .replace('/>', '') +
        Array.from({ length: 63 }, (_v, i) => ` xmlns:p${i}="urn:p"`).join('') +
        '/>';
      expect(checkPushBody(bytes(body), LIMIT).kind).toBe('incomplete'); // no Haendelsesbesked, but read
    });

    it('a 5.8 MB start tag of namespace declarations is refused within a chunk, not read to its end', () => {
      const body = tag(400_000, (i) => ` xmlns:a${i}="u"`);
      expect(body.length).toBeGreaterThan(5_500_000);
      const t0 = performance.now();
      const r = checkPushBody(body, 10 * 1024 * 1024);
      const peeked = peekBeskedId(body);
      const ms = performance.now() - t0;
      expect(r.kind === 'unreadable' && r.error.code).toBe('BESKED_TOO_LARGE');
      expect(peeked).toBeNull();
      // Unbounded, this took 1.5-2.6 s for each of the two (saxes reads every attribute); bounded
      // ~50 ms here, the margin is for a loaded machine.
      expect(ms).toBeLessThan(1000);
    });
  });
});
