import { BeskedError, DEFAULT_CATALOGUE, beskedToCloudEvent, parseBesked } from '@cprh/besked';
import { haendelsesbeskedXml } from '../src/besked/besked-xml';
import { malform } from '../src/chaos/chaos';
import { EVENT_KINDS, HANDLING_IDS } from '../src/population/event-kinds';
import { EventGenerator } from '../src/population/event-generator';

const start = new Date('2026-05-04T08:00:00Z');

describe('the simulator and @cprh/besked agree', () => {
  it('uses the catalogue ids of DEFAULT_CATALOGUE', () => {
    for (const kind of EVENT_KINDS) {
      expect(DEFAULT_CATALOGUE.find((c) => c.name === kind)?.id).toBe(HANDLING_IDS[kind]);
    }
  });

  it('every generated message parses and maps to its event name', () => {
    const gen = new EventGenerator({ seed: 12, populationSize: 300, start });
    for (const kind of EVENT_KINDS) {
      const e = gen.next({ kind });
      const xml = haendelsesbeskedXml(e, { attempt: 2 });
      expect(parseBesked(xml)).toBeDefined();
      const ce = beskedToCloudEvent(xml, { source: 'urn:test' });
      expect(ce.id).toBe(e.beskedId);
      expect(JSON.stringify(ce.data)).toContain(`"haendelse":"${kind}"`);
    }
  });

  it('malformed messages are refused by the parser with the right code', () => {
    const xml = haendelsesbeskedXml(new EventGenerator({ seed: 13, populationSize: 50, start }).next());
    const codeOf = (doc: string) => {
      try {
        parseBesked(doc);
        return 'parsed';
      } catch (err) {
        return err instanceof BeskedError ? err.code : String(err);
      }
    };
    expect(codeOf(malform(xml, 'dtd'))).toBe('BESKED_DTD_FORBIDDEN');
    expect(codeOf(malform(xml, 'broken-xml'))).toBe('BESKED_XML_MALFORMED');
    expect(codeOf(malform(xml, 'missing-beskedid'))).toBe('BESKED_FIELD_MISSING');
  });
});
