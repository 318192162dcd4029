import { loadConfig, ConfigError } from '@cprh/config';

describe('board settings', () => {
  it('defaults to a read-only board on 127.0.0.1:3000 without credentials', () => {
    expect(loadConfig(['board'], {}).board).toEqual({
      port: 3000,
      host: '127.0.0.1',
      credentials: undefined,
      readWrite: false,
      showCpr: false,
    });
  });
  it('reads every BOARD_* variable', () => {
    const b = loadConfig(['board'], {
      BOARD_PORT: '0',
      BOARD_HOST: '0.0.0.0',
      BOARD_USER: 'ops',
      BOARD_PASSWORD: 'pw',
      BOARD_READ_WRITE: 'true',
      BOARD_SHOW_CPR: 'true',
    }).board;
    expect(b).toEqual({
      port: 0,
      host: '0.0.0.0',
      credentials: { user: 'ops', password: 'pw' },
      readWrite: true,
      showCpr: true,
    });
  });
  it('names the bad setting', () => {
    expect(() => loadConfig(['board'], { BOARD_PORT: '70000' })).toThrow(/^Invalid setting BOARD_PORT: /);
    expect(() => loadConfig(['board'], { BOARD_PORT: 'http' })).toThrow(ConfigError);
    expect(() => loadConfig(['board'], { BOARD_READ_WRITE: 'maybe' })).toThrow(
      /^Invalid setting BOARD_READ_WRITE: /,
    );
    expect(() => loadConfig(['board'], { BOARD_USER: 'ops' })).toThrow(
      'Invalid setting BOARD_PASSWORD: required when BOARD_USER is set',
    );
    expect(() => loadConfig(['board'], { BOARD_PASSWORD: 'pw' })).toThrow(
      'Invalid setting BOARD_USER: required when BOARD_PASSWORD is set',
    );
  });
});
