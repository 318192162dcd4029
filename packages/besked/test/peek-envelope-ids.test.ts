import { readdirSync } from 'node:fs';
import { beskedToCloudEvent, peekBeskedId, peekEnvelopeIds } from '../src';
import { ownFixture, sharedFixture, SHARED_FIXTURES } from './support/fixtures';

describe('peekEnvelopeIds', () => {
  it.each(readdirSync(SHARED_FIXTURES).filter((f) => f.endsWith('.xml')))(
    '%s: the BeskedId and the first CPR number the CloudEvent names',
    (file) => {
      const bytes = sharedFixture(file);
      const { id, data } = beskedToCloudEvent(bytes, { source: 'file:x' });
      // Document order: the RelateretObjekt elements come before the ObjektRegistrering elements.
      const first = [...data.relateredeObjekter, ...data.registreringer].find((o) => o.cpr !== null);
      expect(peekEnvelopeIds(bytes)).toEqual({ beskedId: id, cpr: first?.cpr ?? null });
    },
  );

  it('takes the first CPR number in document order (testbesked01: the RelateretObjekt)', () => {
    expect(peekEnvelopeIds(sharedFixture('testbesked01.xml')).cpr).toBe('2512484916');
    const onlyRegistrering = sharedFixture('testbesked01.xml')
      .toString('utf8')
      .replace('urn:oio:cpr-nr:2512484916', 'urn:oio:cvr-nr:12345678');
    expect(peekEnvelopeIds(onlyRegistrering).cpr).toBe('2204151234');
  });

  it('reads other prefixes, default namespaces, CRLF and a BOM', () => {
    for (const f of ['other-prefixes', 'default-namespace', 'local-declarations', 'crlf-bom']) {
      expect(peekEnvelopeIds(ownFixture(`testbesked01.${f}.xml`))).toEqual({
        beskedId: '01157488-c45c-4fd2-b076-1de12effbf66',
        cpr: '2512484916',
      });
    }
  });

  it('reads the envelope inside a push body (ModtagBeskedInput)', () => {
    const text = sharedFixture('testbesked01.xml')
      .toString('utf8')
      .replace(/^<\?xml[^>]*\?>\s*/, '');
    const push = `<sts:ModtagBeskedInput xmlns:sts="urn:oio:sts:1.0.0">${text}</sts:ModtagBeskedInput>`;
    expect(peekEnvelopeIds(push)).toEqual({
      beskedId: '01157488-c45c-4fd2-b076-1de12effbf66',
      cpr: '2512484916',
    });
  });

  it('ignores CPR-looking text outside an ObjektId of Filtreringsdata (comments, payload)', () => {
    const text = sharedFixture('testbesked01.xml')
      .toString('utf8')
      .replace(/urn:oio:cpr-nr:\d{10}/g, 'urn:oio:cvr-nr:12345678')
      .replace('<ns2:BeskedVersion>', '<!-- urn:oio:cpr-nr:0101701234 --><ns2:BeskedVersion>');
    expect(peekEnvelopeIds(text).cpr).toBeNull();
  });

  it('never reads the payload: a message broken after Filtreringsdata still gives both', () => {
    const text = sharedFixture('testbesked01.xml').toString('utf8');
    const cut = text.slice(0, text.indexOf('</ns2:Filtreringsdata>') + '</ns2:Filtreringsdata>'.length);
    expect(peekEnvelopeIds(`${cut}<<<broken`)).toEqual({
      beskedId: '01157488-c45c-4fd2-b076-1de12effbf66',
      cpr: '2512484916',
    });
  });
});

describe('peekBeskedId', () => {
  it.each(readdirSync(SHARED_FIXTURES).filter((f) => f.endsWith('.xml')))(
    '%s: the same id as the CloudEvent, from bytes and from a string',
    (file) => {
      const bytes = sharedFixture(file);
      const id = beskedToCloudEvent(bytes, { source: 'file:x' }).id;
      expect(peekBeskedId(bytes)).toBe(id);
      expect(peekBeskedId(bytes.toString('utf8'))).toBe(id);
    },
  );

  it('reads other prefixes, default namespaces, CRLF and a BOM', () => {
    for (const f of ['other-prefixes', 'default-namespace', 'local-declarations', 'crlf-bom']) {
      expect(peekBeskedId(ownFixture(`testbesked01.${f}.xml`))).toBe('01157488-c45c-4fd2-b076-1de12effbf66');
    }
  });

  it('lower-cases a UUID and keeps a URN as given', () => {
    expect(peekBeskedId(ownFixture('full-envelope.xml'))).toBe('6f2c4e1a-9b3d-4c5e-8f70-a1b2c3d4e5f6');
    const urn =
      '<Haendelsesbesked xmlns="urn:oio:besked:kuvert:1.0"><BeskedId>' +
      '<s:URNIdentifikator xmlns:s="urn:oio:sagdok:3.0.0"> urn:Example:ID:1 </s:URNIdentifikator>' +
      '</BeskedId></Haendelsesbesked>';
    expect(peekBeskedId(urn)).toBe('urn:Example:ID:1');
  });

  it('stops at the id: a message broken after it still gives the id (the worker reports the break)', () => {
    const text = sharedFixture('testbesked01.xml').toString('utf8');
    expect(peekBeskedId(text.slice(0, text.indexOf('</ns2:BeskedId>') + 15))).toBe(
      '01157488-c45c-4fd2-b076-1de12effbf66',
    );
  });

  it('finds the id beyond the first 16 KiB chunk', () => {
    const text = sharedFixture('testbesked01.xml').toString('utf8');
    const padded = text.replace('<ns2:BeskedId>', `<!--${'x'.repeat(40_000)}--><ns2:BeskedId>`);
    expect(peekBeskedId(Buffer.from(padded))).toBe('01157488-c45c-4fd2-b076-1de12effbf66');
    expect(peekBeskedId(padded)).toBe('01157488-c45c-4fd2-b076-1de12effbf66');
  });

  it('reads characters of 2, 3 and 4 bytes across the pieces it decodes the body in', () => {
    const text = sharedFixture('testbesked01.xml').toString('utf8');
    // A URN BeskedId of ~3 KB of multi-byte characters: piece boundaries fall inside characters,
    // at every offset; any character split in two would come back as U+FFFD.
    for (const lead of ['', 'a', 'ab', 'abc']) {
      const urn = `urn:x:${lead}${'æ€𝄞'.repeat(330)}`;
      const bytes = Buffer.from(
        text.replace(
          /<ns2:BeskedId>.*?<\/ns2:BeskedId>/s,
          `<ns2:BeskedId><URNIdentifikator>${urn}</URNIdentifikator></ns2:BeskedId>`,
        ),
      );
      expect(peekEnvelopeIds(bytes)).toEqual({ beskedId: urn, cpr: '2512484916' });
    }
  });

  it.each([
    ['empty input', ''],
    ['not XML', 'hello'],
    ['a wrong root', '<x/>'],
    [
      'no BeskedId',
      '<Haendelsesbesked xmlns="urn:oio:besked:kuvert:1.0"><BeskedVersion>1.0</BeskedVersion></Haendelsesbesked>',
    ],
    [
      'a BeskedId in another namespace',
      '<Haendelsesbesked xmlns="urn:oio:besked:kuvert:1.0"><BeskedId xmlns="urn:x"><UUIDIdentifikator xmlns="urn:oio:sagdok:3.0.0">a</UUIDIdentifikator></BeskedId></Haendelsesbesked>',
    ],
    [
      'an identifier nested too deep',
      '<Haendelsesbesked xmlns="urn:oio:besked:kuvert:1.0"><Beskedkuvert><BeskedId><UUIDIdentifikator xmlns="urn:oio:sagdok:3.0.0">a</UUIDIdentifikator></BeskedId></Beskedkuvert></Haendelsesbesked>',
    ],
    [
      'an empty identifier',
      '<Haendelsesbesked xmlns="urn:oio:besked:kuvert:1.0"><BeskedId><UUIDIdentifikator xmlns="urn:oio:sagdok:3.0.0"> </UUIDIdentifikator></BeskedId></Haendelsesbesked>',
    ],
    ['malformed XML before the id', '<Haendelsesbesked xmlns="urn:oio:besked:kuvert:1.0"><BeskedId><a></b>'],
    ['a DOCTYPE', ownFixture('billion-laughs.xml')],
    ['bytes that are not UTF-8', Buffer.from([0x3c, 0xff, 0xfe, 0x3e])],
  ])('returns null for %s, never throws', (_what, input) => {
    expect(peekBeskedId(input)).toBeNull();
  });
});
