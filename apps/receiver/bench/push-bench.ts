// Pushes/s the receiver accepts on this machine: real HTTPS with mutual TLS on loopback, real Redis
// (the shared one, under a key prefix of its own that is deleted afterwards). Every push is
// answered 20 only after Redis confirmed the inbox write, so this is the rate of stored messages.
//
//   pnpm --filter @cprh/receiver bench            (PUSHES=10000 CONNECTIONS=20 to change the load)
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'undici';
import { loadConfig } from '@cprh/config';
import { rewriteBeskedId } from '@cprh/kombit';
import { createLogger } from '@cprh/pipeline';
import { makeDevPki, pipelineTestEnv, readFixture } from '@cprh/testkit';
import { RECEIVER_SECTIONS, startReceiver } from '../src';

const PUSHES = Number(process.env.PUSHES ?? 10_000);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 20);
const WARMUP = 500;

async function main(): Promise<void> {
  const pki = makeDevPki();
  const t = pipelineTestEnv({
    RECEIVER_PORT: '0',
    RECEIVER_TLS_CERT_FILE: pki.path('server.crt'),
    RECEIVER_TLS_KEY_FILE: pki.path('server.key'),
    RECEIVER_CLIENT_CA_FILE: pki.path('ca.crt'),
    RECEIVER_MAX_IN_FLIGHT: String(CONNECTIONS * 2),
    LOG_LEVEL: 'error',
  });
  const config = loadConfig(RECEIVER_SECTIONS, t.env);
  const rx = await startReceiver(config, createLogger('receiver-bench', 'error'));
  const agent = new Agent({
    connect: {
      ca: readFileSync(pki.path('ca.crt')),
      cert: readFileSync(pki.path('client.crt')),
      key: readFileSync(pki.path('client.key')),
    },
    connections: CONNECTIONS,
  });
  const sample = readFixture('beskeder/exttest-sf1601-push.success.xml');
  const run = async (n: number): Promise<{ seconds: number; latencies: number[] }> => {
    const bodies = Array.from({ length: n }, () => rewriteBeskedId(sample, randomUUID()));
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    const lane = async (): Promise<void> => {
      for (let i = next++; i < n; i = next++) {
        const t0 = performance.now();
        const res = await request(rx.url, {
          method: 'POST',
          dispatcher: agent,
          headers: { 'content-type': 'application/xml; charset=utf-8' },
          body: bodies[i],
        });
        const text = await res.body.text();
        if (res.statusCode !== 200 || !text.includes('<sd:StatusKode>20<')) {
          throw new Error(`push ${i} answered ${res.statusCode}`);
        }
        latencies.push(performance.now() - t0);
      }
    };
    await Promise.all(Array.from({ length: CONNECTIONS }, lane));
    return { seconds: (performance.now() - started) / 1000, latencies };
  };
  try {
    await run(WARMUP);
    const { seconds, latencies } = await run(PUSHES);
    latencies.sort((a, b) => a - b);
    const pct = (p: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
    const size = Buffer.byteLength(sample);
    console.log(
      `receiver: ${PUSHES} pushes (${size} B ModtagBeskedInput each) at ${CONNECTIONS} keep-alive mTLS connections: ` +
        `${Math.round(PUSHES / seconds)} pushes/s stored and answered 20; ` +
        `answer p50 ${pct(50).toFixed(1)} ms, p99 ${pct(99).toFixed(1)} ms`,
    );
  } finally {
    await agent.close();
    await rx.stop();
    await t.cleanup();
    pki.remove();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
