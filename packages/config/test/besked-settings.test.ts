import { loadConfig, ConfigError } from '../src';

describe('besked settings', () => {
  it('defaults to a 10 MiB limit and no extra catalogue', () => {
    expect(loadConfig(['besked'], {}).besked).toEqual({ maxBytes: 10485760, catalogueFile: null });
  });

  it('reads BESKED_MAX_BYTES and EVENT_CATALOGUE_FILE', () => {
    expect(
      loadConfig(['besked'], { BESKED_MAX_BYTES: '2048', EVENT_CATALOGUE_FILE: '/etc/cprh/catalogue.json' })
        .besked,
    ).toEqual({ maxBytes: 2048, catalogueFile: '/etc/cprh/catalogue.json' });
  });

  it.each(['0', '-1', '1.5', 'lots'])('refuses BESKED_MAX_BYTES=%s naming the setting', (value) => {
    expect(() => loadConfig(['besked'], { BESKED_MAX_BYTES: value })).toThrow(ConfigError);
    expect(() => loadConfig(['besked'], { BESKED_MAX_BYTES: value })).toThrow(
      /^Invalid setting BESKED_MAX_BYTES: /,
    );
  });
});
