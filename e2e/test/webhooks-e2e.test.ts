import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { loadWorkbenchConfig } from '@cprh/simulator';
import type { RunningService } from '@cprh/runtime';
import { pipelineTestEnv, waitFor, type PipelineTestEnv } from '@cprh/testkit';
import { startServices, START_SECTIONS } from '@cprh/demo';
import { capturingLogger, freshMessages, publish } from './support/pipeline-harness';

describe('cprh start with WEBHOOKS_FILE', () => {
  let t: PipelineTestEnv;
  let services: RunningService | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'cprh-whe2e-'));

  afterAll(async () => {
    await services?.stop();
    await t.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers each message received from the dueslag to the endpoint as a signed CloudEvent', async () => {
    const got: { headers: Record<string, string>; body: string }[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        got.push({ headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString() });
        res.writeHead(204).end();
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const secret = `whsec_${randomBytes(32).toString('base64')}`;
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const file = join(dir, 'webhooks.json');
      writeFileSync(file, JSON.stringify({ endpoints: [{ id: 'sag', url, secret, from: 'all' }] }));
      t = pipelineTestEnv({ WEBHOOKS_FILE: file, WEBHOOKS_POLL_MS: '50' });
      const { ids, bodies } = freshMessages(5);
      await publish(t.env, bodies);
      const { log } = capturingLogger('warn');
      services = await startServices(loadWorkbenchConfig(START_SECTIONS, t.env), log);
      await waitFor('five deliveries', () => got.length >= 5, { timeoutMs: 30000 });
      const wh = new Webhook(secret);
      const delivered = got.map((g) => (wh.verify(g.body, g.headers) as { id: string }).id);
      expect(delivered.sort()).toEqual([...ids].sort());
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
