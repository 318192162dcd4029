import { join } from 'node:path';
import { makeDevPki, pipelineTestEnv, spawnTs } from '@cprh/testkit';
import { pushBody, pushClient } from './support/receiver-harness';

const MAIN = join(__dirname, '..', 'src', 'main.ts');

describe('node --require tsx/cjs apps/receiver/src/main.ts', () => {
  const pki = makeDevPki();
  afterAll(() => pki.remove());

  it('serves, answers 20, and exits 0 on SIGTERM', async () => {
    const t = pipelineTestEnv({
      LOG_LEVEL: 'info',
      RECEIVER_PORT: '0',
      METRICS_PORT: '0',
      RECEIVER_TLS_CERT_FILE: pki.path('server.crt'),
      RECEIVER_TLS_KEY_FILE: pki.path('server.key'),
      RECEIVER_CLIENT_CA_FILE: pki.path('ca.crt'),
    });
    const p = spawnTs(MAIN, t.env);
    const client = pushClient(pki, { cert: pki.path('client.crt'), key: pki.path('client.key') });
    try {
      await p.waitForLine(/"msg":"receiver ready"/, 30_000);
      const line = await p.waitForLine(/"msg":"receiver listening"/);
      const url = (JSON.parse(line) as { url: string }).url;
      expect((await client.send(url, pushBody())).statusKode).toBe(20);
      // Its own /readyz (METRICS_PORT) says ready while the listener and Redis are up.
      const metricsLine = await p.waitForLine(/"metricsUrl":"http|metrics at http/);
      const metricsUrl = /(http:\/\/[^"\s]+?)(metrics)?"/.exec(metricsLine)?.[1] ?? '';
      const ready = await fetch(new URL('readyz', metricsUrl));
      expect(ready.status).toBe(200);
      const text = await (await fetch(new URL('metrics', metricsUrl))).text();
      expect(text).toMatch(
        /^cprh_receiver_answers_total\{tenant="default",http_status="200",status_kode="20"\} 1$/m,
      );
      expect(text).toMatch(/^cprh_receiver_answer_seconds_count\{tenant="default",http_status="200"\} 1$/m);
      expect(text).toMatch(/^cprh_upstream_up\{channel="push"\} 1$/m);
      expect(await p.stop('SIGTERM')).toBe(0);
      expect(p.stderrLines).toEqual([]);
    } finally {
      await client.close();
      await p.stop('SIGKILL').catch(() => undefined);
      await t.cleanup();
    }
  });

  it('without its TLS files, exits 1 with one line naming the settings', async () => {
    const t = pipelineTestEnv({ RECEIVER_PORT: '0' });
    const p = spawnTs(MAIN, t.env);
    try {
      expect(await p.waitForExit()).toBe(1);
      expect(p.stderrLines).toEqual([
        'receiver: RECEIVER_TLS_NOT_CONFIGURED: the push receiver needs mutual TLS: set RECEIVER_TLS_CERT_FILE, RECEIVER_TLS_KEY_FILE and RECEIVER_CLIENT_CA_FILE',
      ]);
    } finally {
      await t.cleanup();
    }
  });
});
