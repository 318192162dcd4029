import { readdirSync } from 'node:fs';
import { beskedToCloudEvent, parseBesked, type CprCloudEvent } from '../src';
import { expectSchemaValid } from './support/cloud-event-validator';
import { ownFixture, sharedFixture, SHARED_FIXTURES } from './support/fixtures';

// The same message written differently (prefixes, default namespaces, local declarations, CRLF,
// a BOM, string vs bytes) must give the identical CloudEvent.

const SOURCE = 'urn:kombit:beskedfordeler:push';
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

function eventOf(input: string | Uint8Array): CprCloudEvent {
  const e = beskedToCloudEvent(input, { source: SOURCE });
  expectSchemaValid(e);
  return e;
}

function toCrlf(bytes: Buffer): Buffer {
  return Buffer.from(bytes.toString('utf8').replace(/\r?\n/g, '\r\n'), 'utf8');
}

describe('equivalent forms of testbesked01.xml', () => {
  const reference = eventOf(sharedFixture('testbesked01.xml'));

  it.each([
    ['testbesked01.other-prefixes.xml', 'kuvert as kuv:, sagdok as sd:'],
    ['testbesked01.default-namespace.xml', 'kuvert as the default namespace, sagdok as oio:'],
    ['testbesked01.local-declarations.xml', 'each identifier declares its own namespace'],
    ['testbesked01.crlf-bom.xml', 'CRLF line endings and a UTF-8 BOM'],
  ])('%s (%s) gives the identical event', (file) => {
    expect(eventOf(ownFixture(file))).toEqual(reference);
  });

  it('the fixtures really differ from the original (the test could fail)', () => {
    const original = sharedFixture('testbesked01.xml');
    for (const f of ['other-prefixes', 'default-namespace', 'local-declarations', 'crlf-bom']) {
      expect(ownFixture(`testbesked01.${f}.xml`).equals(original)).toBe(false);
    }
    expect(ownFixture('testbesked01.crlf-bom.xml').subarray(0, 3).equals(BOM)).toBe(true);
    expect(ownFixture('testbesked01.crlf-bom.xml').includes('\r\n')).toBe(true);
  });
});

describe.each(readdirSync(SHARED_FIXTURES).filter((f) => f.endsWith('.xml')))('sample %s', (file) => {
  const bytes = sharedFixture(file);
  const reference = eventOf(bytes);

  it('gives the same event from a string, with a BOM, with CRLF, and with both', () => {
    expect(eventOf(bytes.toString('utf8'))).toEqual(reference);
    expect(eventOf(Buffer.concat([BOM, bytes]))).toEqual(reference);
    expect(eventOf('\ufeff' + bytes.toString('utf8'))).toEqual(reference);
    expect(eventOf(toCrlf(bytes))).toEqual(reference);
    expect(eventOf(Buffer.concat([BOM, toCrlf(bytes)]))).toEqual(reference);
    expect(eventOf(new Uint8Array(bytes))).toEqual(reference);
  });

  it('parses to the same model from bytes and from a string', () => {
    expect(parseBesked(bytes.toString('utf8'))).toEqual(parseBesked(bytes));
  });
});
