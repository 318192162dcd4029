import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CPR_SHAPED,
  deleteKeysAt,
  makeDevPki,
  pipelineTestEnv,
  spawnTs,
  TEST_REDIS_URL,
} from '@cprh/testkit';
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

  it('with TENANTS_FILE serves every tenant on its one port, and logs an unknown path by its tenant segment only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cprh-tenants-'));
    const file = join(dir, 'tenants.yaml');
    writeFileSync(
      file,
      [
        'tenants:',
        `  - { id: aarhus, cvr: "55133018", dueslag: ${randomUUID()} }`,
        `  - { id: odense, cvr: "35209115", dueslag: ${randomUUID()} }`,
        '',
      ].join('\n'),
    );
    const t = pipelineTestEnv({
      TENANTS_FILE: file,
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
      const line = await p.waitForLine(/"msg":"receiver listening"/, 30_000);
      const listening = JSON.parse(line) as { url: string; tenants: { tenant: string; path: string }[] };
      expect(listening.tenants).toEqual([
        { tenant: 'aarhus', path: '/sts/beskedfordeler/ModtagBesked/aarhus', allowedSubjects: 0 },
        { tenant: 'odense', path: '/sts/beskedfordeler/ModtagBesked/odense', allowedSubjects: 0 },
      ]);
      const at = (path: string): string => new URL(path, listening.url).toString();
      for (const tenant of ['aarhus', 'odense']) {
        const r = await client.send(at(`/sts/beskedfordeler/ModtagBesked/${tenant}`), pushBody());
        expect([tenant, r.statusKode]).toEqual([tenant, 20]);
      }
      const unknown = ['esbjerg', '0101901234', '311299-1234'].map(
        (s) => `/sts/beskedfordeler/ModtagBesked/${s}`,
      );
      for (const path of unknown) expect((await client.send(at(path), pushBody())).status).toBe(404);
      const logged = [
        await p.waitForLine(/"segment":"esbjerg"/),
        await p.waitForLine(/"segment":"\(not a tenant id\)"/),
      ];
      for (const l of logged) expect(l).toContain('push refused: no tenant has this path');
      // Each distinct segment once; a path's CPR-shaped segment never reaches the log.
      expect(p.lines.filter((l) => l.includes('no tenant has this path'))).toHaveLength(2);
      expect(p.lines.filter((l) => CPR_SHAPED.test(l))).toEqual([]);

      const metricsLine = await p.waitForLine(/"metricsUrl":"http|metrics at http/);
      const metricsUrl = /(http:\/\/[^"\s]+?)(metrics)?"/.exec(metricsLine)?.[1] ?? '';
      expect((await fetch(new URL('readyz', metricsUrl))).status).toBe(200);
      const text = await (await fetch(new URL('metrics', metricsUrl))).text();
      for (const tenant of ['aarhus', 'odense']) {
        expect(text).toContain(
          `cprh_receiver_answers_total{tenant="${tenant}",http_status="200",status_kode="20"} 1\n`,
        );
        expect(text).toContain(`cprh_messages_stored_total{channel="push",tenant="${tenant}"} 1\n`);
      }
      expect(text).toContain(
        'cprh_receiver_answers_total{tenant="(none)",http_status="404",status_kode="40"} 3\n',
      );
      expect(text).toContain('cprh_receiver_pushes_refused_total{reason="unknown_tenant"} 3\n');
      // (Node's own process_start_time_seconds is ten digits: only our series are looked at.)
      expect(text.split('\n').filter((l) => l.startsWith('cprh_') && CPR_SHAPED.test(l))).toEqual([]);
      expect(await p.stop('SIGTERM')).toBe(0);
      expect(p.stderrLines).toEqual([]);
    } finally {
      await client.close();
      await p.stop('SIGKILL').catch(() => undefined);
      await deleteKeysAt(TEST_REDIS_URL, `{${t.prefix}:`);
      await t.cleanup();
      rmSync(dir, { recursive: true, force: true });
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
