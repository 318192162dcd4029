import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, parseWebhooksFile, WebhooksFileError } from '@cprh/config';
import { spawnTs } from '@cprh/testkit';
import { newSecret } from './support/webhook-harness';

const MAIN = join(__dirname, '..', 'src', 'main.ts');

function problems(json: unknown): readonly string[] {
  try {
    parseWebhooksFile(JSON.stringify(json), 'w.json');
  } catch (err) {
    if (err instanceof WebhooksFileError) return err.problems;
    throw err;
  }
  return [];
}

describe('WEBHOOKS_FILE', () => {
  it('needs only id, url and a secret, and fills in the defaults', () => {
    const secret = newSecret();
    expect(
      parseWebhooksFile(
        JSON.stringify({ endpoints: [{ id: 'sag', url: 'https://sag.example/hook', secret }] }),
        'w',
      ),
    ).toEqual([
      {
        id: 'sag',
        url: 'https://sag.example/hook',
        secrets: [secret],
        stream: undefined,
        types: [],
        concurrency: 8,
        timeoutMs: 10000,
        attempts: 12,
        backoffMs: 1000,
        maxBackoffMs: 3600000,
        mode: 'structured',
        from: 'new',
        caFile: undefined,
        clientCertP12File: undefined,
        clientCertP12Password: undefined,
      },
    ]);
  });

  it('names every mistake on a line of its own, never a secret', () => {
    const leaked = 'whsec_c2hvcnQ=';
    const list = problems({
      endpoints: [
        { id: 'sag', url: 'http://sag.example/hook', secret: newSecret() },
        { id: 'Bad Id', url: 'https://x.example', secret: leaked, concurrency: 0, secert: 1 },
        { id: 'two', url: 'https://x.example', secret: newSecret(), secrets: [newSecret()] },
        { id: 'sag', url: 'http://127.0.0.1:8080/', secret: newSecret(), backoffMs: 10, maxBackoffMs: 5 },
        { id: 'nofile', url: 'http://[::1]/', secretFile: '/nonexistent/secret' },
      ],
    });
    expect(list).toEqual([
      'endpoints[0] (sag).url: must be https (http only for loopback hosts)',
      'endpoints[1] (Bad Id).id: must be 1-63 of a-z, 0-9, "_" and "-", starting with a letter or digit',
      'endpoints[1] (Bad Id).secret: must be "whsec_" followed by the base64 of 24 to 64 bytes',
      'endpoints[1] (Bad Id).concurrency: must be > 0',
      'endpoints[1] (Bad Id): unknown field(s) secert',
      'endpoints[2] (two): needs exactly one of secret, secretFile, secrets',
      'endpoints[3] (sag).id: "sag" is used by an earlier endpoint',
      'endpoints[3] (sag).maxBackoffMs: must be >= backoffMs',
      'endpoints[4] (nofile): secretFile /nonexistent/secret cannot be read (ENOENT)',
    ]);
    expect(list.join('\n')).not.toContain('c2hvcnQ');
    expect(problems({ endpoint: [] })).toEqual([
      'endpoints: must be a list of endpoints',
      '(top): unknown field(s) endpoint',
    ]);
  });

  it('reads secrets from secretFile (two for a rotation) and the file from WEBHOOKS_FILE', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cprh-wh-'));
    try {
      const [a, b] = [newSecret(), newSecret()];
      writeFileSync(join(dir, 'secret'), `${a}\n${b}\n`);
      writeFileSync(
        join(dir, 'w.json'),
        JSON.stringify({
          endpoints: [{ id: 'f', url: 'https://f.example', secretFile: join(dir, 'secret') }],
        }),
      );
      const config = loadConfig(['webhooks'], { WEBHOOKS_FILE: join(dir, 'w.json') });
      expect(config.webhooks.endpoints[0]?.secrets).toEqual([a, b]);
      writeFileSync(join(dir, 'secret'), 'not-a-secret');
      expect(() => loadConfig(['webhooks'], { WEBHOOKS_FILE: join(dir, 'w.json') })).toThrow(
        /secretFile \S+ holds something that is not a whsec_ secret/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the process prints one line per mistake and exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cprh-wh-'));
    try {
      const file = join(dir, 'w.json');
      writeFileSync(
        file,
        JSON.stringify({
          endpoints: [
            { id: 'a', url: 'ftp://a', secret: newSecret() },
            { id: 'b', url: 'https://b.example' },
          ],
        }),
      );
      const p = spawnTs(MAIN, { WEBHOOKS_FILE: file, REDIS_URL: 'redis://127.0.0.1:6379' });
      expect(await p.waitForExit()).toBe(1);
      expect(p.stderrLines).toEqual([
        `webhooks: CONFIG_INVALID: ${file}: endpoints[0] (a).url: must be https (http only for loopback hosts)`,
        `webhooks: CONFIG_INVALID: ${file}: endpoints[1] (b): needs exactly one of secret, secretFile, secrets`,
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('without WEBHOOKS_FILE the process idles and says so, and stops on SIGTERM', async () => {
    const p = spawnTs(MAIN, { REDIS_URL: 'redis://127.0.0.1:6379', LOG_LEVEL: 'info' });
    await p.waitForLine(/WEBHOOKS_FILE is not set: no endpoints, nothing to deliver/);
    await p.waitForLine(/webhooks ready/);
    expect(await p.stop('SIGTERM')).toBe(0);
  });
});
