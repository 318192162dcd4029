// Throughput and latency of webhook delivery to a local endpoint that answers 204 at once:
// `pnpm --filter @cprh/webhooks bench [events] [persons] [concurrency]`. Uses the shared Redis on
// 127.0.0.1:6379 under a key prefix of its own, deleted at the end.
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { loadConfig } from '@cprh/config';
import { createLogger } from '@cprh/runtime';
import { deleteKeysWithPrefix, TEST_REDIS_URL, uniqueName } from '@cprh/testkit';
import { startWebhooks, WEBHOOKS_SECTIONS } from '../src';

const [events = 5000, persons = 500, concurrency = 16] = process.argv.slice(2).map(Number);

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function main(): Promise<void> {
  const prefix = uniqueName('bwh');
  const stream = `${prefix}:events`;
  const dir = mkdtempSync(join(tmpdir(), 'cprh-whbench-'));
  const redis = new Redis(TEST_REDIS_URL);
  const written = new Map<string, number>();
  const latencies: number[] = [];
  let done: () => void = () => undefined;
  const finished = new Promise<void>((r) => (done = r));
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const at = written.get(String(req.headers['webhook-id']));
      if (at !== undefined) latencies.push(Date.now() - at);
      res.writeHead(204).end();
      if (latencies.length === events) done();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const file = join(dir, 'webhooks.json');
  const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
  writeFileSync(
    file,
    JSON.stringify({ endpoints: [{ id: 'bench', url, secret, concurrency, from: 'all' }] }),
  );
  const config = loadConfig(WEBHOOKS_SECTIONS, {
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    EVENTS_STREAM: stream,
    WEBHOOKS_FILE: file,
  });
  const service = await startWebhooks(config, createLogger('bench', 'error'));
  const started = Date.now();
  try {
    for (let i = 0; i < events; i++) {
      const id = randomUUID();
      const cpr = String(1000000000 + (i % persons));
      const event = {
        specversion: '1.0',
        id,
        source: 'urn:bench',
        type: 'dk.kombit.cpr.personhaendelse',
        datacontenttype: 'application/json',
        data: { registreringer: [{ cpr, handling: 'x', haendelse: 'flytning' }], beskeddata: [] },
      };
      written.set(id, Date.now());
      await redis.xadd(
        stream,
        '*',
        'event',
        JSON.stringify(event),
        'id',
        id,
        'type',
        event.type,
        'seq',
        String(i),
      );
    }
    await finished;
    const seconds = (Date.now() - started) / 1000;
    const sorted = [...latencies].sort((a, b) => a - b);
    process.stdout.write(
      `${events} events, ${persons} persons, concurrency ${concurrency}: ${Math.round(events / seconds)}/s; ` +
        `stream -> delivered p50 ${pct(sorted, 50)} ms, p99 ${pct(sorted, 99)} ms, max ${sorted.at(-1)} ms\n`,
    );
  } finally {
    await service.stop();
    server.closeAllConnections();
    server.close();
    await deleteKeysWithPrefix(redis, prefix);
    redis.disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${String(err)}\n`);
  process.exit(1);
});
