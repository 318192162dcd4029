// Pushes/s the receiver accepts on this machine: real HTTPS with mutual TLS on loopback, real Redis
// (the shared one, under a key prefix of its own that is deleted afterwards). Every push is
// answered 20 only after Redis confirmed the inbox write, so this is the rate of stored messages.
//
//   pnpm --filter @cprh/receiver bench            (PUSHES=10000 CONNECTIONS=20 to change the load)
//
// Then (ABUSE=0 to skip) the receiver as its own process under each kind of abuse at full size, for
// ABUSE_PHASE_MS each, while a well-behaved client in another process pushes 20/s: its answer
// latency per phase, the receiver's longest event-loop delay and peak RSS, and whether every good
// push is in the inbox exactly once (target: p99 < 2 s, each stored once, RSS < 512 MB).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'undici';
import { loadConfig } from '@cprh/config';
import { rewriteBeskedId } from '@cprh/simulator';
import { createLogger } from '@cprh/runtime';
import { makeDevPki, pipelineTestEnv, readFixture } from '@cprh/testkit';
import { RECEIVER_SECTIONS, startReceiver } from '../src';
import {
  connectionBursts,
  headerFlood,
  namespaceBombs,
  slowHandshakes,
  twoBeskedBodies,
} from '../test/support/abuse';
import { runHostileLoad } from '../test/support/hostile-run';

const PUSHES = Number(process.env.PUSHES ?? 10_000);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 20);
const WARMUP = 500;
const ABUSE = process.env.ABUSE !== '0';
const ABUSE_PHASE_MS = Number(process.env.ABUSE_PHASE_MS ?? 10_000);

/** Each kind of abuse at the size the issue measured it with. */
async function abuseRun(): Promise<boolean> {
  const pki = makeDevPki();
  try {
    const run = await runHostileLoad({
      pki,
      rate: 20,
      phaseMs: ABUSE_PHASE_MS,
      phases: [
        { name: 'none (baseline)', start: () => undefined },
        { name: 'slow handshakes: 250 conns, ClientHello 1 B/s', start: (t) => slowHandshakes(t, 250, 1000) },
        { name: 'bursts of 2,000 new TLS conns each second', start: (t) => connectionBursts(t, 2000, 1000) },
        { name: 'header flood: 32 conns, 64 KB headers', start: (t) => headerFlood(t, 32) },
        { name: 'namespace bomb: 4 conns, 5.8 MB bodies', start: (t) => namespaceBombs(t, 4, 5_800_000) },
        { name: 'two Haendelsesbesked: 8 conns', start: (t) => twoBeskedBodies(t, 8) },
      ],
    });
    const ms = (n: number): string => `${n.toFixed(0)} ms`.padStart(8);
    console.log(
      `\nreceiver under abuse (${ABUSE_PHASE_MS / 1000} s each; good client 20 pushes/s in its own process):\n` +
        `${'phase'.padEnd(48)} ${'s'.padStart(4)} ${'pushes'.padStart(6)} ${'p50'.padStart(8)} ${'p99'.padStart(8)} ${'max'.padStart(8)} ${'loop lag'.padStart(8)} ${'retried'.padStart(7)}  refused / abuser saw`,
    );
    let ok = true;
    for (const p of run.phases) {
      if (p.p99 >= 2000 || p.unanswered > 0) ok = false;
      console.log(
        `${p.name.padEnd(48)} ${p.seconds.toFixed(0).padStart(4)} ${String(p.pushes).padStart(6)} ${ms(p.p50)} ${ms(p.p99)} ${ms(p.max)} ${ms(p.loopLagMaxMs)} ${String(p.retried).padStart(7)}  ` +
          `${JSON.stringify(p.refused)} ${JSON.stringify(p.abuse)}${p.unanswered > 0 ? ` UNANSWERED ${p.unanswered}` : ''}`,
      );
    }
    const once = run.missing.length === 0 && run.extra === 0;
    if (!once || run.rssPeakMb >= 512 || run.clientErrors.length > 0) ok = false;
    console.log(
      `good pushes answered 20: ${run.answered}, in the inbox exactly once: ${once ? 'yes' : `NO (missing ${run.missing.length}, extra ${run.extra})`}; ` +
        `receiver peak RSS ${run.rssPeakMb.toFixed(0)} MB; target ${ok ? 'met' : 'NOT met'}` +
        (run.clientErrors.length > 0 ? `; client errors: ${run.clientErrors.slice(0, 3).join(' | ')}` : ''),
    );
    return ok;
  } finally {
    pki.remove();
  }
}

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

main()
  .then(async () => {
    if (ABUSE && !(await abuseRun())) process.exitCode = 1;
  })
  .catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
