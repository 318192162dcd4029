import {
  BeskedError,
  DEFAULT_CATALOGUE,
  beskedToCloudEvent,
  createCatalogue,
  parseCatalogueJson,
  type CatalogueEntry,
} from '../src';
import { sharedFixture } from './support/fixtures';

describe('the event catalogue', () => {
  it('ships the two KOMBIT actions and the simulated ones, with the contract names', () => {
    expect(DEFAULT_CATALOGUE.map((e) => [e.name, e.label, e.id, e.simulated])).toEqual([
      ['foedsel', 'Fødsel', '1e5bb089-5445-44f8-9b65-bc854053f423', false],
      ['doedsfald', 'Dødsfald', '298aa424-0a16-4a5a-956c-2bdab17fd11f', false],
      ['navneaendring', 'Navneændring', 'urn:cpr-haendelser:sim:handling:navneaendring', true],
      ['flytning', 'Flytning', 'urn:cpr-haendelser:sim:handling:flytning', true],
      [
        'civilstandsaendring',
        'Civilstandsændring',
        'urn:cpr-haendelser:sim:handling:civilstandsaendring',
        true,
      ],
      ['udrejse', 'Udrejse', 'urn:cpr-haendelser:sim:handling:udrejse', true],
      ['indrejse', 'Indrejse', 'urn:cpr-haendelser:sim:handling:indrejse', true],
    ]);
  });

  it('looks UUIDs up in any case, URNs exactly; unknown ids give undefined', () => {
    const c = createCatalogue();
    expect(c.lookup('1E5BB089-5445-44F8-9B65-BC854053F423')?.name).toBe('foedsel');
    expect(c.lookup('urn:cpr-haendelser:sim:handling:flytning')?.name).toBe('flytning');
    expect(c.lookup('urn:cpr-haendelser:sim:handling:FLYTNING')).toBeUndefined();
    expect(c.lookup('00000000-0000-0000-0000-000000000000')).toBeUndefined();
    expect(c.entries()).toHaveLength(7);
  });

  it('adds a user file and lets it override a built-in entry by id', () => {
    const extra = parseCatalogueJson(
      JSON.stringify([
        { id: 'urn:oio:cpr:personhaendelse:A01', name: 'adresseaendring', label: 'Adresseændring' },
        { id: '298AA424-0A16-4A5A-956C-2BDAB17FD11F', name: 'doed', label: 'Død', simulated: false },
      ]),
    );
    expect(extra[0]).toEqual({
      id: 'urn:oio:cpr:personhaendelse:A01',
      name: 'adresseaendring',
      label: 'Adresseændring',
      simulated: false,
    });
    const c = createCatalogue(extra);
    expect(c.lookup('urn:oio:cpr:personhaendelse:A01')?.label).toBe('Adresseændring');
    expect(c.lookup('298aa424-0a16-4a5a-956c-2bdab17fd11f')?.name).toBe('doed');
    expect(c.entries()).toHaveLength(8);
    const e = beskedToCloudEvent(sharedFixture('testbesked02.xml'), { source: 'file:x', catalogue: c });
    expect(e.data.registreringer[0]!.haendelse).toBe('doed');
  });

  it('an unknown handling is not an error: haendelse is null', () => {
    const empty: CatalogueEntry[] = [];
    const c = { lookup: () => undefined, entries: () => empty };
    const e = beskedToCloudEvent(sharedFixture('testbesked01.xml'), { source: 'file:x', catalogue: c });
    expect(e.data.registreringer[0]!.handling).toBe('1e5bb089-5445-44f8-9b65-bc854053f423');
    expect(e.data.registreringer[0]!.haendelse).toBeNull();
  });

  it.each([
    ['not JSON', '{', /not valid JSON/],
    ['not an array', '{"id":"x"}', /JSON array/],
    ['an entry that is not an object', '[1]', /\[0\] is not an object/],
    ['a missing id', '[{"name":"a","label":"A"}]', /\[0\]\.id/],
    ['a name with capitals', '[{"id":"urn:x","name":"Flytning","label":"F"}]', /\[0\]\.name/],
    ['an empty label', '[{"id":"urn:x","name":"x","label":" "}]', /\[0\]\.label/],
    ['a non-boolean simulated', '[{"id":"urn:x","name":"x","label":"X","simulated":"yes"}]', /simulated/],
    ['an unknown property', '[{"id":"urn:x","name":"x","label":"X","navn":"x"}]', /unknown property "navn"/],
    [
      'a repeated id',
      '[{"id":"urn:x","name":"x","label":"X"},{"id":"urn:x","name":"y","label":"Y"}]',
      /\[1\]\.id repeats/,
    ],
  ])('refuses a file with %s', (_what, text, message) => {
    let err: unknown;
    try {
      parseCatalogueJson(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BeskedError);
    expect((err as BeskedError).code).toBe('BESKED_CATALOGUE_INVALID');
    expect((err as BeskedError).message).toMatch(message);
  });
});
