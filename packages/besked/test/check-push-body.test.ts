import { readFixture } from '@cprh/testkit';
import { checkPushBody } from '../src';

const bytes = (s: string) => Buffer.from(s, 'utf8');
const push = readFixture('beskeder/push-ModtagBeskedInput.minimal.xml');
const bare = readFixture('beskeder/testbesked01.xml');
const LIMIT = 1024 * 1024;

describe('checkPushBody', () => {
  it('finds the BeskedId of a ModtagBeskedInput and of a bare Haendelsesbesked', () => {
    expect(checkPushBody(bytes(push), LIMIT)).toEqual({
      kind: 'ok',
      beskedId: '248ce14c-a863-4fb5-9e6f-7df9ea850809',
    });
    expect(checkPushBody(bytes(bare), LIMIT).kind).toBe('ok');
    const upper = push.replace(
      '248ce14c-a863-4fb5-9e6f-7df9ea850809',
      '248CE14C-A863-4FB5-9E6F-7DF9EA850809',
    );
    expect(checkPushBody(bytes(upper), LIMIT)).toEqual({
      kind: 'ok',
      beskedId: '248ce14c-a863-4fb5-9e6f-7df9ea850809',
    });
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
});
