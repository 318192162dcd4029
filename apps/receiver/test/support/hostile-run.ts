// Runs the receiver as its own process (src/main.ts), a well-behaved client in another process
// (steady-client.ts) pushing `rate` a second throughout, and each kind of abuse in turn from this
// process for `phaseMs`; then reads what the client saw per phase, the receiver's event-loop lag
// (prom-client's nodejs_eventloop_lag_max_seconds, reset at each scrape) and peak RSS (VmHWM), and
// whether every good push is in the inbox exactly once. Used by hostile-load.test.ts and the bench.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { loadConfig } from '@cprh/config';
import type { InboxJobData } from '@cprh/pipeline';
import { pipelineTestEnv, sleep, spawnTs, type DevPki } from '@cprh/testkit';
import { RECEIVER_SECTIONS } from '../../src';
import type { AbuseTally, AbuseTarget, RunningAbuse } from './abuse';
import type { SteadySample } from './steady-client';

const MAIN = join(__dirname, '..', '..', 'src', 'main.ts');
const STEADY = join(__dirname, 'steady-client.ts');

export interface AbusePhase {
  name: string;
  /** Starts the abuse; undefined for a quiet phase (the baseline). */
  start: (target: AbuseTarget) => RunningAbuse | undefined;
}

export interface PhaseResult {
  name: string;
  /** How long the phase really lasted (an abuser short of CPU stops late), s. */
  seconds: number;
  /** Good pushes first sent during the phase. */
  pushes: number;
  /** ms to the answer 20: p50, p99, max; pushes never answered 20 are counted in `unanswered`. */
  p50: number;
  p99: number;
  max: number;
  unanswered: number;
  /** Good pushes that needed more than one attempt (a 503 or a refused connection). */
  retried: number;
  /** Longest event-loop delay of the receiver during the phase, ms. */
  loopLagMaxMs: number;
  /** The receiver's cprh_receiver_connections_refused_total during the phase, by reason. */
  refused: Record<string, number>;
  abuse: AbuseTally;
}

export interface HostileRunResult {
  phases: PhaseResult[];
  /** Peak resident set of the receiver process over the whole run (VmHWM), MB. */
  rssPeakMb: number;
  /** Good pushes answered 20 but not in the inbox, and inbox jobs that are not good pushes. */
  missing: string[];
  extra: number;
  answered: number;
  clientErrors: string[];
  receiverStderr: string[];
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function scrape(metricsUrl: URL): Promise<{ lagMaxMs: number; refused: Record<string, number> }> {
  const text = await (await fetch(new URL('metrics', metricsUrl))).text();
  const lag = Number(/^nodejs_eventloop_lag_max_seconds (\S+)/m.exec(text)?.[1] ?? NaN);
  const refused: Record<string, number> = {};
  for (const m of text.matchAll(/^cprh_receiver_connections_refused_total\{reason="(\w+)"\} (\S+)/gm))
    refused[m[1]!] = Number(m[2]);
  return { lagMaxMs: lag * 1000, refused };
}

export async function runHostileLoad(o: {
  pki: DevPki;
  phases: readonly AbusePhase[];
  phaseMs: number;
  rate: number;
  /** Settings for the receiver process (defaults otherwise). */
  receiverEnv?: Record<string, string>;
}): Promise<HostileRunResult> {
  const { pki } = o;
  const t = pipelineTestEnv({
    LOG_LEVEL: 'info',
    RECEIVER_PORT: '0',
    METRICS_PORT: '0',
    RECEIVER_TLS_CERT_FILE: pki.files.serverCert,
    RECEIVER_TLS_KEY_FILE: pki.files.serverKey,
    RECEIVER_CLIENT_CA_FILE: pki.files.ca,
    ...o.receiverEnv,
  });
  const config = loadConfig(RECEIVER_SECTIONS, t.env);
  const rx = spawnTs(MAIN, t.env);
  let steady: ReturnType<typeof spawnTs> | undefined;
  const redis = new Redis(config.redis.url, { maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  const inbox = new Queue<InboxJobData>(config.pipeline.inboxQueue, {
    connection: redis,
    prefix: config.pipeline.queuePrefix,
  });
  inbox.on('error', () => undefined);
  try {
    const listening = await rx.waitForLine(/"msg":"receiver listening"/, 60_000);
    const url = (JSON.parse(listening) as { url: string }).url;
    const metricsLine = await rx.waitForLine(/"metricsUrl":"http|metrics at http/);
    const metricsUrl = new URL(/(http:\/\/[^"\s]+?)(metrics)?"/.exec(metricsLine)?.[1] ?? '');
    const target: AbuseTarget = { url, port: Number(new URL(url).port), pki };
    const pid = rx.child.pid ?? 0;

    steady = spawnTs(STEADY, {}, [
      JSON.stringify({
        url,
        rate: o.rate,
        connections: 2,
        ca: pki.files.ca,
        cert: pki.files.clientCert,
        key: pki.files.clientKey,
      }),
    ]);
    await steady.waitForLine(/steady client running/, 60_000);
    await sleep(1500); // its connections are open, the receiver's hot path compiled

    const windows: {
      name: string;
      from: number;
      to: number;
      lagMaxMs: number;
      refused: Record<string, number>;
      abuse: AbuseTally;
    }[] = [];
    let before = await scrape(metricsUrl);
    for (const phase of o.phases) {
      const from = Date.now();
      const abuse = phase.start(target);
      await sleep(o.phaseMs);
      const tallied = (await abuse?.stop()) ?? {};
      const to = Date.now();
      const after = await scrape(metricsUrl);
      const refused: Record<string, number> = {};
      for (const [k, v] of Object.entries(after.refused))
        if (v - (before.refused[k] ?? 0) > 0) refused[k] = v - (before.refused[k] ?? 0);
      windows.push({ name: phase.name, from, to, lagMaxMs: after.lagMaxMs, refused, abuse: tallied });
      before = after;
      await sleep(500); // abuse's leftovers drain before the next phase
    }

    await steady.stop('SIGTERM', 30_000);
    const reportLine =
      steady.lines.find((l) => l.startsWith('{"steady"')) ??
      '{"steady":{"samples":[],"errors":["no report"]}}';
    const report = (JSON.parse(reportLine) as { steady: { samples: SteadySample[]; errors: string[] } })
      .steady;

    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssPeakMb = Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN) / 1024;

    const phases: PhaseResult[] = windows.map((w) => {
      const mine = report.samples.filter((s) => s.sentAt >= w.from && s.sentAt < w.to);
      const ms = mine
        .filter((s) => s.ms >= 0)
        .map((s) => s.ms)
        .sort((a, b) => a - b);
      return {
        name: w.name,
        seconds: (w.to - w.from) / 1000,
        pushes: mine.length,
        p50: pct(ms, 50),
        p99: pct(ms, 99),
        max: ms[ms.length - 1] ?? 0,
        unanswered: mine.length - ms.length,
        retried: mine.filter((s) => s.attempts > 1).length,
        loopLagMaxMs: w.lagMaxMs,
        refused: w.refused,
        abuse: w.abuse,
      };
    });

    const stored = new Set(
      (await inbox.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized'])).map(
        (j) => j.id,
      ),
    );
    const answered = report.samples.filter((s) => s.ms >= 0);
    const missing = answered.map((s) => `b-${s.id}`).filter((id) => !stored.has(id));
    const good = new Set(report.samples.map((s) => `b-${s.id}`));
    const extra = [...stored].filter((id) => id === undefined || !good.has(id)).length;
    return {
      phases,
      rssPeakMb,
      missing,
      extra,
      answered: answered.length,
      clientErrors: report.errors,
      receiverStderr: rx.stderrLines,
    };
  } finally {
    await steady?.stop('SIGKILL').catch(() => undefined);
    await rx.stop('SIGTERM').catch(() => undefined);
    await inbox.close().catch(() => undefined);
    redis.disconnect();
    await t.cleanup();
  }
}
