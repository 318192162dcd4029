import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, SECTION_NAMES, settingNames } from '../src';

// Secrets as files (Docker secrets): every secret setting also reads from `<NAME>_FILE`.
const dir = mkdtempSync(join(tmpdir(), 'cprh-secret-files-'));
const file = (name: string, content: string): string => {
  const path = join(dir, name);
  writeFileSync(path, content, { mode: 0o600 });
  return path;
};
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SECRETS = [
  'BOARD_PASSWORD',
  'CLIENT_CERT_P12_PASSWORD',
  'CLIENT_KEY_PASSPHRASE',
  'REDIS_URL',
  'AMQP_URL',
];

describe('secret settings read from files', () => {
  it('lists a _FILE variant for exactly the secret settings', () => {
    const names = settingNames();
    expect(names.filter((n) => n.endsWith('_FILE') && SECRETS.includes(n.slice(0, -5))).sort()).toEqual(
      SECRETS.map((s) => `${s}_FILE`).sort(),
    );
  });

  it('reads the board password from its file, trailing newline trimmed', () => {
    const board = loadConfig(['board'], {
      BOARD_USER: 'ops',
      BOARD_PASSWORD_FILE: file('board', 'correct horse\n'),
    }).board;
    expect(board.credentials).toEqual({ user: 'ops', password: 'correct horse' });
  });

  it('trims one trailing newline only (CRLF too), keeps other whitespace', () => {
    const read = (content: string) =>
      loadConfig(['board'], { BOARD_USER: 'ops', BOARD_PASSWORD_FILE: file('ws', content) }).board.credentials
        ?.password;
    expect(read(' pw with spaces \r\n')).toBe(' pw with spaces ');
    expect(read('pw\n\n')).toBe('pw\n');
    expect(read('no-newline')).toBe('no-newline');
  });

  it('reads the certificate password, the key passphrase and the URLs with credentials', () => {
    const c = loadConfig(['clientCert', 'redis', 'amqp'], {
      CLIENT_CERT_P12_FILE: '/certs/function.p12',
      CLIENT_CERT_P12_PASSWORD_FILE: file('p12', 'p12-secret\n'),
      REDIS_URL_FILE: file('redis', 'redis://:r3dis@10.0.0.5:6379\n'),
      AMQP_URL_FILE: file('amqp', 'amqp://cprh:amqp-pw@10.0.0.6:5672\n'),
    });
    expect(c.clientCert.source).toEqual({
      kind: 'p12',
      p12File: '/certs/function.p12',
      password: 'p12-secret',
    });
    expect(c.redis.url).toBe('redis://:r3dis@10.0.0.5:6379');
    expect(c.amqp.url).toBe('amqp://cprh:amqp-pw@10.0.0.6:5672');
    const pem = loadConfig(['clientCert'], {
      CLIENT_CERT_FILE: '/c.pem',
      CLIENT_KEY_FILE: '/k.pem',
      CLIENT_KEY_PASSPHRASE_FILE: file('pass', 'key-pass\n'),
    }).clientCert.source;
    expect(pem).toMatchObject({ kind: 'pem', keyPassphrase: 'key-pass' });
  });

  it('refuses both the setting and its file, in one clear error', () => {
    const both = () =>
      loadConfig(['board'], {
        BOARD_USER: 'ops',
        BOARD_PASSWORD: 'in-env',
        BOARD_PASSWORD_FILE: file('both', 'in-file\n'),
      });
    expect(both).toThrow(ConfigError);
    expect(both).toThrow(
      /^Invalid setting BOARD_PASSWORD: set either BOARD_PASSWORD or BOARD_PASSWORD_FILE, not both$/,
    );
  });

  it('names the file setting and the path when the file is missing or empty, never a secret', () => {
    const missing = join(dir, 'nope');
    expect(() => loadConfig(['redis'], { REDIS_URL_FILE: missing })).toThrow(
      `Invalid setting REDIS_URL_FILE: cannot read ${missing} (ENOENT)`,
    );
    const empty = file('empty', '\n');
    expect(() => loadConfig(['board'], { BOARD_USER: 'ops', BOARD_PASSWORD_FILE: empty })).toThrow(
      `Invalid setting BOARD_PASSWORD_FILE: ${empty} is empty`,
    );
    // A bad value from a file is reported under the setting, without the value.
    let message = '';
    try {
      loadConfig(['redis'], { REDIS_URL_FILE: file('bad-url', 'http://:hunter2@x\n') });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/^Invalid setting REDIS_URL: /);
    expect(message).not.toContain('hunter2');
  });

  it('treats an empty _FILE setting as unset (FOO_FILE= in a compose file)', () => {
    expect(loadConfig(['redis'], { REDIS_URL_FILE: '' }).redis.url).toBe('redis://127.0.0.1:6379');
  });

  it('reads a file only for the sections loaded', () => {
    expect(() => loadConfig(['log'], { REDIS_URL_FILE: join(dir, 'absent') })).not.toThrow();
    expect(Object.keys(loadConfig(SECTION_NAMES, {})).length).toBe(SECTION_NAMES.length);
  });
});
