/**
 * `pnpm bench`: the pipeline against its limits, all measured in this one run, so that the ratios
 * hold on a noisy shared machine even where the absolute figures drift. Every run uses a private
 * redis-server (AOF as stated) and its own RabbitMQ queue, deleted afterwards. BENCH_SMOKE=1 for
 * a quick check of the harness; see bench-settings.ts for the sizes.
 */
import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '@cprh/testkit';
import { bareAmqp } from './bare-amqp';
import { bareBullmq } from './bare-bullmq';
import { barePipeline } from './bare-pipeline';
import { benchSettings } from './bench-settings';
import { fairness, fairnessOptions } from './fairness';
import { orderAndClusterSections } from './order-and-cluster';
import { renderReport, type BenchReport } from './bench-report';
import { medianRound, type HeadlineRound } from './headline-rounds';
import { averageBytes, makeEnvelopes } from './envelopes';
import { runPipeline, type PipelineRunResult } from './pipeline-run';
import { pollVsConsume } from './poll-vs-consume';
import { pushRun } from './push-run';
import { steadyLoad } from './steady-load';
import { waitingFootprint } from './waiting-footprint';

const RESULTS = join(__dirname, '..', 'results');

function step(what: string): void {
  process.stderr.write(`bench: ${what}\n`);
}

async function main(): Promise<void> {
  const s = benchSettings();
  const t0 = Date.now();
  const loadBefore = loadavg()[0] ?? 0;
  step(`generating ${s.backlog} envelopes`);
  const warmup = s.rate * s.warmupSeconds;
  const envelopes = makeEnvelopes(Math.max(s.backlog, warmup + s.rate * s.seconds, s.waiting), 1);
  const backlog = envelopes.slice(0, s.backlog);
  const base = { envelopes: backlog, stallMs: s.stallMs, worker: 'real' as const, aof: 'everysec' as const };

  step('bare amqplib');
  const amqp = await bareAmqp(backlog);
  step('bare BullMQ alone (addBulk from memory, no-op Worker)');
  const bull = await bareBullmq(backlog);
  step('plumbing limit');
  const plumbing = await runPipeline({
    ...base,
    label: 'plumbing (no-op worker)',
    workers: 1,
    worker: 'noop',
  });
  // The headline: the reference and ours back to back, in rounds, so a machine whose speed drifts
  // over minutes touches each alike; the targets read the median of the rounds' ratios.
  const rounds: HeadlineRound[] = [];
  for (let r = 1; r <= s.rounds; r++) {
    step(`round ${r}/${s.rounds}: bare BullMQ pipeline`);
    const bare = await barePipeline(backlog);
    step(`round ${r}/${s.rounds}: end to end, AOF everysec`);
    const everysec = await runPipeline({ ...base, label: 'end to end, everysec', workers: s.scale[0] ?? 1 });
    step(`round ${r}/${s.rounds}: end to end, AOF always`);
    const always = await runPipeline({ ...base, label: 'end to end, always', workers: 1, aof: 'always' });
    rounds.push({ bare, everysec, always });
  }
  const { everysec: endToEnd, always } = medianRound(rounds);
  const scale: PipelineRunResult[] = [endToEnd];
  for (const workers of s.scale.slice(1)) {
    step(`end to end, ${workers} workers`);
    scale.push(await runPipeline({ ...base, label: `end to end, ${workers} workers`, workers }));
  }
  step(`steady load ${s.rate}/s for ${s.seconds} s`);
  const steady = await steadyLoad(envelopes.slice(0, warmup + s.rate * s.seconds), s.rate, warmup);
  step(`footprint, ${s.waiting} waiting`);
  const waiting = await waitingFootprint(envelopes.slice(0, s.waiting));
  // The poller alone in each POLLER_MODE: a smaller backlog is enough (no worker, so it is quick).
  const pollCount = Math.min(s.backlog, 10_000);
  step(`poller drain, poll vs consume, ${pollCount} preloaded`);
  const pollVsConsumeRun = await pollVsConsume(backlog.slice(0, pollCount));
  step(`push: ${pollCount} pushes, client in its own process`);
  const push = await pushRun(pollCount, 20);
  const orderAndCluster = await orderAndClusterSections(base, scale, step, s.smoke);
  const fair = fairnessOptions();
  step(
    `fairness: ${fair.backlog} waiting for tenant A, tenant B at ${fair.rate}/s, WORKER_CONCURRENCY/WORKER_FAIR_CONCURRENCY ${fair.concurrency.map((c) => `${c.full}/${c.fair}`).join(' and ')}`,
  );
  const fairnessRun = await fairness(fair);

  const report: BenchReport = {
    startedAt: new Date(t0).toISOString(),
    commit: execSync('git rev-parse --short HEAD', { cwd: repoRoot }).toString().trim(),
    node: process.version,
    cores: cpus().length,
    load: { before: loadBefore, after: loadavg()[0] ?? 0 },
    smoke: s.smoke,
    envelopeBytes: averageBytes(backlog),
    bareAmqp: amqp,
    bareBullmq: bull,
    rounds,
    plumbing,
    endToEnd,
    endToEndAlways: always,
    scale,
    steady,
    waiting,
    pollVsConsume: pollVsConsumeRun,
    push,
    ...orderAndCluster,
    fairness: fairnessRun,
    totalSeconds: (Date.now() - t0) / 1000,
  };
  mkdirSync(RESULTS, { recursive: true });
  const json = JSON.stringify(report, null, 2) + '\n';
  writeFileSync(join(RESULTS, `${report.startedAt.replace(/[:.]/g, '-')}.json`), json);
  if (!s.smoke) writeFileSync(join(RESULTS, 'latest.json'), json);
  process.stdout.write(renderReport(report) + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
