import { encodeBody, localIsoTime } from '@cprh/pipeline';
import { readFixture } from '@cprh/testkit';
import { CPR_MASK, maskCprNumbers } from '@cprh/besked';
import { jobDataView, messageView } from '../src/job-data-view';

const TEN_DIGITS = /(?<!\d)\d{6}-?\d{4}(?!\d)/;
const SAMPLE = readFixture('beskeder/testbesked01.xml');
const inner =
  '<?xml version="1.0"?><p:Person xmlns:p="urn:x"><p:PNR>0101801234</p:PNR><p:Navn>Søren Ærø</p:Navn></p:Person>';
const b64 = (s: string): string =>
  (
    Buffer.from(s, 'utf8')
      .toString('base64')
      .match(/.{1,76}/g) ?? []
  ).join('\n');
const withPayload = SAMPLE.replace(
  '</ns2:Haendelsesbesked>',
  `<ns2:Beskeddata><Base64 encoding="UTF-8">\n${b64(inner)}\n</Base64></ns2:Beskeddata></ns2:Haendelsesbesked>`,
);

describe('CPR masking for the board', () => {
  it('masks ten digits with and without the dash, not longer digit runs', () => {
    expect(maskCprNumbers('a 0101801234 b 010180-1234 c urn:oio:cpr-nr:2512484916.')).toBe(
      `a ${CPR_MASK} b ${CPR_MASK} c urn:oio:cpr-nr:${CPR_MASK}.`,
    );
    expect(maskCprNumbers('1764601234567 and 12345678901 and 010180-12345')).toBe(
      '1764601234567 and 12345678901 and 010180-12345',
    );
  });

  it('shows a message as readable XML with Base64 payloads decoded beside it, CPR numbers masked', () => {
    expect(withPayload).toContain('<Base64'); // the fixture still ends as this test expects
    const view = messageView(withPayload, true);
    expect(view.xml).toContain('[Base64 payload 1, below]');
    expect(view.xml).not.toMatch(TEN_DIGITS);
    expect(view.xml).toContain(`urn:oio:cpr-nr:${CPR_MASK}`);
    expect(view.payloads).toEqual([inner.replace('0101801234', CPR_MASK)]);
  });

  it('turns an inbox job body (exact bytes) into the masked view; other strings are masked too', () => {
    const data = {
      body: encodeBody(Buffer.from(withPayload, 'utf8')),
      source: 'urn:test',
      receivedAt: localIsoTime(1764601234567), // as an operator reads it
      channel: { kind: 'amqp', messageId: 'tx 0101801234', redelivered: false },
      seq: 4,
      code: 'BESKED_FIELD_MISSING',
      message: 'BeskedId is missing',
    };
    const view = jobDataView(data, true) as Record<string, unknown>;
    expect(JSON.stringify(view)).not.toMatch(TEN_DIGITS);
    expect(view).toMatchObject({
      bytes: Buffer.byteLength(withPayload),
      receivedAt: localIsoTime(1764601234567), // as an operator reads it
      channel: { messageId: `tx ${CPR_MASK}` },
      code: 'BESKED_FIELD_MISSING',
    });
    expect(view).not.toHaveProperty('body');
    expect((view.besked as { payloads: string[] }).payloads[0]).toContain('Søren Ærø');
  });

  it('decodes Latin-1 and UTF-16 bodies before masking, and an older job’s raw text', () => {
    const latin1 = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><a>Ærø 0101801234</a>', 'latin1');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<a>010180-1234</a>', 'utf16le')]);
    for (const bytes of [latin1, utf16]) {
      const view = jobDataView({ body: encodeBody(bytes) }, true);
      expect(JSON.stringify(view)).not.toMatch(TEN_DIGITS);
      expect(JSON.stringify(view)).toContain(CPR_MASK);
    }
    expect(jobDataView({ raw: '<a>0101801234</a>' }, true)).toEqual({
      besked: { xml: `<a>${CPR_MASK}</a>`, payloads: [] },
    });
  });

  it('with masking off (BOARD_SHOW_CPR=true) shows the numbers, still decoded', () => {
    const view = jobDataView({ body: encodeBody(Buffer.from(withPayload)) }, false) as {
      besked: { xml: string; payloads: string[] };
    };
    expect(view.besked.xml).toContain('urn:oio:cpr-nr:2512484916');
    expect(view.besked.payloads[0]).toContain('0101801234');
  });

  it('hides a payload that is not text rather than showing it encoded', () => {
    const view = messageView(
      `<Base64>${Buffer.from([0, 1, 2, 3, 250, 251, 252, 253, 9, 8, 7, 6]).toString('base64')}AAAA</Base64>`,
      true,
    );
    expect(view).toEqual({
      xml: '<Base64>[Base64 payload 1, below]</Base64>',
      payloads: ['(binary, 15 bytes)'],
    });
  });
});
