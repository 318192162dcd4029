import { embeddableHaendelsesbesked } from '../src';
import { readFixture } from '@cprh/testkit';

describe('embeddableHaendelsesbesked: a message as XML that can stand inside FlytBeskedTilFejlkoeInput', () => {
  const sample = readFixture('beskeder/testbesked01.xml');

  it('decodes the bytes and drops the XML declaration', () => {
    const r = embeddableHaendelsesbesked(Buffer.from(sample, 'utf8'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.xml.startsWith('<')).toBe(true);
    expect(r.xml).not.toMatch(/^<\?xml/);
    expect(r.xml).toContain('Haendelsesbesked');
  });

  it('reads a declared single-byte encoding into text', () => {
    const latin1 = `<?xml version="1.0" encoding="ISO-8859-1"?><Haendelsesbesked xmlns="urn:oio:besked:kuvert:1.0"><x>Søren</x></Haendelsesbesked>`;
    expect(embeddableHaendelsesbesked(Buffer.from(latin1, 'latin1'))).toEqual({
      ok: true,
      xml: '<Haendelsesbesked xmlns="urn:oio:besked:kuvert:1.0"><x>Søren</x></Haendelsesbesked>',
    });
  });

  it.each([
    ['<Haendelsesbesked xmlns="urn:oio:besked:kuvert:1.0"><a></Haendelsesbesked>', 'not well-formed XML'],
    ['<!DOCTYPE x [<!ENTITY e "e">]><Haendelsesbesked xmlns="urn:oio:besked:kuvert:1.0"/>', 'has a DTD'],
    ['<ModtagBeskedInput xmlns="urn:oio:sts:1.0"/>', 'root is not kuvert:Haendelsesbesked'],
    ['<Haendelsesbesked/>', 'root is not kuvert:Haendelsesbesked'],
    ['<x:Haendelsesbesked xmlns:y="urn:oio:besked:kuvert:1.0"/>', 'not well-formed XML'],
    ['', 'not well-formed XML'],
  ])('refuses %j: %s', (xml, reason) => {
    expect(embeddableHaendelsesbesked(Buffer.from(xml, 'utf8'))).toEqual({ ok: false, reason });
  });

  it("refuses bytes that are not valid in their encoding, with the decoder's code", () => {
    const bad = Buffer.concat([
      Buffer.from('<Haendelsesbesked xmlns="urn:oio:besked:kuvert:1.0">'),
      Buffer.from([0xff, 0xfe, 0x41]),
      Buffer.from('</Haendelsesbesked>'),
    ]);
    expect(embeddableHaendelsesbesked(bad)).toEqual({ ok: false, reason: 'BESKED_ENCODING_INVALID' });
  });
});
