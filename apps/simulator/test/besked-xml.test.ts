import { EventGenerator, dayOfDeltas, dailyDeltaCounts } from '../src/population/event-generator';
import { haendelsesbeskedXml, modtagBeskedInputXml } from '../src/besked/besked-xml';
import { EVENT_KINDS } from '../src/population/event-kinds';
import { Prng } from '../src/population/prng';
import { validateAgainstXsd } from '@cprh/testkit';

const start = new Date('2026-03-02T08:00:00.000Z');

describe('Haendelsesbesked XML', () => {
  it('validates against Beskedkuvert.xsd for every event kind', async () => {
    const gen = new EventGenerator({ seed: 7, populationSize: 500, start });
    const events = EVENT_KINDS.flatMap((kind) => gen.take(3, { kind }));
    const docs = events.map((e, i) =>
      haendelsesbeskedXml(e, {
        attempt: i + 1,
        subscriptionId: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
        recipientCvr: '12345678',
        deliveredAt: new Date(),
      }),
    );
    const errors = await validateAgainstXsd('Beskedkuvert.xsd', docs);
    expect(errors).toEqual([]);
  });

  it('the push body validates against AnvendersystemOperationer.xsd', async () => {
    const gen = new EventGenerator({ seed: 8, populationSize: 100, start });
    const docs = gen.take(5).map((e) => modtagBeskedInputXml(e, { attempt: 2 }));
    expect(await validateAgainstXsd('AnvendersystemOperationer.xsd', docs)).toEqual([]);
  });

  it('weighs 4-6 KB like a real delivery, for every event kind', () => {
    const gen = new EventGenerator({ seed: 10, populationSize: 2000, start });
    const sizes = EVENT_KINDS.flatMap((kind) => gen.take(50, { kind })).map((e) =>
      Buffer.byteLength(haendelsesbeskedXml(e), 'utf8'),
    );
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(4000);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(6000);
  });

  it('the validator does reject a broken envelope', async () => {
    const gen = new EventGenerator({ seed: 9, populationSize: 100, start });
    const xml = haendelsesbeskedXml(gen.next()).replace(/<ns2:BeskedVersion>1.0<\/ns2:BeskedVersion>/, '');
    const errors = await validateAgainstXsd('Beskedkuvert.xsd', [xml]);
    expect(errors.join('\n')).toMatch(/BeskedVersion/);
  });

  it('carries the person, the event id, the beskedtype and a Base64 payload marked as test data', () => {
    const gen = new EventGenerator({
      seed: 1,
      populationSize: 200,
      start,
      beskedtype: 'C8673551-981E-4BE1-B1A6-180CF6FA61F0',
    });
    const e = gen.next({ kind: 'flytning' });
    const xml = haendelsesbeskedXml(e, { attempt: 3 });
    expect(xml).toContain(`<URNIdentifikator>urn:oio:cpr-nr:${e.person.cpr}</URNIdentifikator>`);
    expect(xml).toContain('<URNIdentifikator>urn:cpr-haendelser:sim:handling:flytning</URNIdentifikator>');
    expect(xml).toContain('<UUIDIdentifikator>c8673551-981e-4be1-b1a6-180cf6fa61f0</UUIDIdentifikator>');
    expect(xml).toContain('<ns2:AntalLeveranceforsoeg>3</ns2:AntalLeveranceforsoeg>');
    const b64 =
      /<Base64 xmlns="urn:besked:kuvert:1.0" content-type="application\/xml" encoding="UTF-8" file-type=".xml">([^<]+)<\/Base64>/.exec(
        xml,
      )?.[1];
    const payload = Buffer.from(b64 as string, 'base64').toString('utf8');
    expect(payload).toContain('<Person xmlns="urn:cpr-haendelser:sim:person:1" testdata="true">');
    expect(payload).toContain(`<CprNummer>${e.person.cpr}</CprNummer>`);
    expect(payload).toContain('<Haendelse>flytning</Haendelse>');
  });
});

describe('EventGenerator', () => {
  it('gives identical output for the same seed and different output for another', () => {
    const a = new EventGenerator({ seed: 42, populationSize: 300, start })
      .take(200)
      .map((e) => haendelsesbeskedXml(e));
    const b = new EventGenerator({ seed: 42, populationSize: 300, start })
      .take(200)
      .map((e) => haendelsesbeskedXml(e));
    const c = new EventGenerator({ seed: 43, populationSize: 300, start })
      .take(200)
      .map((e) => haendelsesbeskedXml(e));
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
  });

  it('makes ten-digit CPR numbers whose first six digits are the birth date', () => {
    const gen = new EventGenerator({ seed: 3, populationSize: 1000, start });
    for (const e of gen.take(500)) {
      const { cpr, foedselsdato, koen } = e.person;
      expect(cpr).toMatch(/^\d{10}$/);
      const [y, m, d] = foedselsdato.split('-') as [string, string, string];
      expect(cpr.slice(0, 6)).toBe(`${d}${m}${y.slice(2)}`);
      expect(Number.isNaN(Date.parse(foedselsdato))).toBe(false);
      expect(Number(cpr[9]) % 2).toBe(koen === 'M' ? 1 : 0);
    }
  });

  it('moves between and within municipalities, and keeps both codes of a move', () => {
    const gen = new EventGenerator({ seed: 5, populationSize: 1000, start });
    const moves = gen.take(200, { kind: 'flytning' });
    const between = moves.filter((e) => e.kommunekoder.length === 2);
    const within = moves.filter((e) => e.kommunekoder.length === 1);
    expect(between.length).toBeGreaterThan(20);
    expect(within.length).toBeGreaterThan(20);
    for (const e of between) expect(e.kommunekoder[0]).toBe(e.person.adresse?.kommunekode);
  });

  it('a day of deltas has the Danish mix for a municipality-size population', () => {
    const counts = dailyDeltaCounts(60_000);
    expect(counts.flytning).toBeGreaterThan(counts.foedsel * 5);
    expect(counts.foedsel).toBeGreaterThan(0);
    const gen = new EventGenerator({ seed: 11, populationSize: 5000, start });
    const day = dayOfDeltas(gen, 60_000, start, new Prng(11));
    const total = Object.values(counts).reduce((s, n) => s + n, 0);
    expect(day).toHaveLength(total);
    expect(day.filter((e) => e.kind === 'flytning')).toHaveLength(counts.flytning);
    for (let i = 1; i < day.length; i++)
      expect(day[i]!.tidspunkt.getTime()).toBeGreaterThanOrEqual(day[i - 1]!.tidspunkt.getTime());
  });
});

describe('Prng', () => {
  it('draws version-4 UUIDs, the same ones for the same seed', () => {
    const a = new Prng(99);
    const ids = Array.from({ length: 200 }, () => a.uuid());
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(200);
    const b = new Prng(99);
    expect(Array.from({ length: 200 }, () => b.uuid())).toEqual(ids);
  });
});
