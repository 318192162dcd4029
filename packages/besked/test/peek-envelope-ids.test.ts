import { readdirSync } from 'node:fs';
import { beskedToCloudEvent, peekEnvelopeIds } from '../src';
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
