import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadWorkbenchConfig } from '@cprh/simulator';
import type { RunningService } from '@cprh/runtime';
import { pipelineTestEnv, waitFor, type PipelineTestEnv } from '@cprh/testkit';
import { startServices, START_SECTIONS } from '@cprh/demo';
import { capturingLogger, freshMessages, publish } from './support/pipeline-harness';
import { startWebhookEndpoint } from './support/webhook-endpoint';

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
    const endpoint = await startWebhookEndpoint();
    try {
      const file = join(dir, 'webhooks.json');
      endpoint.writeWebhooksFile(file);
      t = pipelineTestEnv({ WEBHOOKS_FILE: file, WEBHOOKS_POLL_MS: '50' });
      const { ids, bodies } = freshMessages(5);
      await publish(t.env, bodies);
      const { log } = capturingLogger('warn');
      services = await startServices(loadWorkbenchConfig(START_SECTIONS, t.env), log);
      await waitFor('five deliveries', () => endpoint.got.length >= 5, { timeoutMs: 30000 });
      expect(endpoint.verifiedIds().sort()).toEqual([...ids].sort());
    } finally {
      endpoint.close();
    }
  });
});
