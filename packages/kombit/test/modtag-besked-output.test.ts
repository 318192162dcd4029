import { validateAgainstXsd, CPR_SHAPED } from '@cprh/testkit';
import { modtagBeskedOutput, PUSH_STATUS } from '../src';

const SCHEMA = 'AnvendersystemOperationer.xsd';

describe('modtagBeskedOutput (the push answer)', () => {
  const answers = [
    modtagBeskedOutput(PUSH_STATUS.OK),
    modtagBeskedOutput(PUSH_STATUS.BAD_INPUT, 'BESKED_XML_MALFORMED: XML is not well-formed at line 3'),
    modtagBeskedOutput(PUSH_STATUS.UNAVAILABLE, 'inbox unavailable; send again later'),
    modtagBeskedOutput(PUSH_STATUS.BAD_INPUT, 'a & b < c > d "quoted" \'single\' æøå'),
  ];

  it('is valid against AnvendersystemOperationer.xsd for every StatusKode', async () => {
    expect(await validateAgainstXsd(SCHEMA, answers)).toEqual([]);
  });

  it("the schema check can fail: the peers' wrong root and wrong namespace are refused", async () => {
    const wrongRoot = answers[0]!.replace(/ModtagBeskedOutput/g, 'ModtagBeskedOutputType');
    const wrongNs = answers[0]!.replace('urn:oio:sagdok:3.0.0', 'urn:oio:sag-dok:3.0.0');
    const errors = await Promise.all([
      validateAgainstXsd(SCHEMA, [wrongRoot]),
      validateAgainstXsd(SCHEMA, [wrongNs]),
    ]);
    expect(errors.map((e) => e.length > 0)).toEqual([true, true]);
  });

  it('has root ModtagBeskedOutput in urn:oio:sts:1.0.0 and StandardRetur in urn:oio:sagdok:3.0.0', () => {
    const xml = modtagBeskedOutput(PUSH_STATUS.OK);
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<sts:ModtagBeskedOutput /);
    expect(xml).toContain('xmlns:sts="urn:oio:sts:1.0.0"');
    expect(xml).toContain('xmlns:sd="urn:oio:sagdok:3.0.0"');
    expect(xml).toContain('<sd:StandardRetur><sd:StatusKode>20</sd:StatusKode></sd:StandardRetur>');
  });

  it('keeps the error text to one escaped line without anything like a CPR number', () => {
    const xml = modtagBeskedOutput(
      PUSH_STATUS.BAD_INPUT,
      'bad\n  value 0101901234 010190-1234 <x> & \u0001more',
    );
    expect(xml).toContain(
      '<sd:StatusKode>40</sd:StatusKode><sd:FejlbeskedTekst>bad value xxxxxx-xxxx xxxxxx-xxxx &lt;x&gt; &amp; more</sd:FejlbeskedTekst>',
    );
    expect(xml).not.toMatch(CPR_SHAPED);
  });
});
