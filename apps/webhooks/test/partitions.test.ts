import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@cprh/config';
import { createLogger } from '@cprh/runtime';
import { startWebhooks, WEBHOOKS_SECTIONS } from '../src';
import { newSecret } from './support/webhook-harness';

describe('webhooks and PARTITIONS', () => {
  it('refuse to start with PARTITIONS > 1, in one line, before touching Redis', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wh-part-'));
    try {
      const file = join(dir, 'w.json');
      writeFileSync(
        file,
        JSON.stringify({ endpoints: [{ id: 'a', url: 'https://a.example/h', secret: newSecret() }] }),
      );
      const config = loadConfig(WEBHOOKS_SECTIONS, {
        WEBHOOKS_FILE: file,
        PARTITIONS: '3',
        // Nothing listens here: the refusal must come first.
        REDIS_URL: 'redis://127.0.0.1:1',
      });
      await expect(startWebhooks(config, createLogger('t', 'error'))).rejects.toMatchObject({
        code: 'WEBHOOKS_PARTITIONS_UNSUPPORTED',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
