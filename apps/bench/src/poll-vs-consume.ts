/**
 * The poller's drain rate in each POLLER_MODE on the same preloaded backlog: the poller alone (no
 * worker, so the figure is the poller's and not the parse CPU's), a private Redis, its own dueslag.
 * Rounds alternate consume / poll so that load from elsewhere on a shared machine hits both; the
 * best round of each mode is compared. Run alone with `pnpm --filter @cprh/bench bench:poll`
 * (BENCH_POLL_BACKLOG, default 10,000; BENCH_POLL_ROUNDS, default 2).
 */
import { TEST_AMQP_URL, sleep } from '@cprh/testkit';
import { Dueslag } from './backlog';
import { makeEnvelopes, type Envelope } from './envelopes';
import { pipelineEnv, runNames, spawnPoller } from './pipeline-processes';
import { startBenchRedis } from './private-redis';
import { fmt, renderTable } from './report-table';

export type PollerMode = 'consume' | 'poll';

export interface DrainRun {
  mode: PollerMode;
  messages: number;
  seconds: number;
  perSecond: number;
  pollerCpuMsPerMessage: number;
}

export interface PollVsConsumeResult {
  messages: number;
  runs: DrainRun[];
  best: Record<PollerMode, DrainRun>;
  /** Best poll rate / best consume rate (the target is >= 0.9). */
  ratio: number;
}

/**
 * One drain: time from the first message in the inbox to the last one (measured here every 10 ms,
 * so that the first tick's wait for the scheduler is not counted against poll mode).
 */
async function drainRun(mode: PollerMode, envelopes: readonly Envelope[]): Promise<DrainRun> {
  const names = runNames();
  const redis = await startBenchRedis('everysec');
  const dueslag = await Dueslag.open(TEST_AMQP_URL, names.dueslag);
  const n = envelopes.length;
  const waiting = `${names.prefix}:inbox:wait`;
  let poller: ReturnType<typeof spawnPoller> | undefined;
  try {
    await dueslag.preload(envelopes);
    poller = spawnPoller({
      ...pipelineEnv(names, redis.url),
      POLLER_MODE: mode,
      POLLER_POLL_INTERVAL_SECONDS: '1',
      LOG_LEVEL: 'warn',
    });
    let first: { at: number; count: number } | undefined;
    let last = { at: Date.now(), count: 0 };
    for (;;) {
      const count = await redis.client.llen(waiting);
      const at = Date.now();
      if (first === undefined && count > 0) {
        first = { at, count };
        poller.mark();
      }
      if (count >= n) break;
      if (count !== last.count) last = { at, count };
      if (at - last.at > 60_000) throw new Error(`${mode} drain stuck at ${count} of ${n}`);
      await sleep(10);
    }
    const seconds = (Date.now() - (first?.at ?? Date.now())) / 1000;
    const cpu = poller.cpuSinceMark();
    const counted = n - (first?.count ?? 0);
    return {
      mode,
      messages: n,
      seconds,
      perSecond: counted / seconds,
      pollerCpuMsPerMessage: (cpu.userMs + cpu.sysMs) / Math.max(1, counted),
    };
  } finally {
    await poller?.proc.stop('SIGTERM').catch(() => undefined);
    await dueslag.delete();
    await redis.stop();
  }
}

export async function pollVsConsume(
  envelopes: readonly Envelope[],
  rounds = 2,
): Promise<PollVsConsumeResult> {
  const runs: DrainRun[] = [];
  for (let r = 0; r < rounds; r++) {
    // consume, poll, poll, consume, …: neither mode always goes first.
    const order: PollerMode[] = r % 2 === 0 ? ['consume', 'poll'] : ['poll', 'consume'];
    for (const mode of order) runs.push(await drainRun(mode, envelopes));
  }
  const bestOf = (mode: PollerMode): DrainRun => {
    const mine = runs.filter((x) => x.mode === mode);
    return mine.reduce((a, b) => (b.perSecond > a.perSecond ? b : a), mine[0] as DrainRun);
  };
  const best = { consume: bestOf('consume'), poll: bestOf('poll') };
  return { messages: envelopes.length, runs, best, ratio: best.poll.perSecond / best.consume.perSecond };
}

export function renderPollVsConsume(r: PollVsConsumeResult): string {
  const rows = r.runs.map((x, i) => [
    `${x.mode} (round ${Math.floor(i / 2) + 1})`,
    fmt.rate(x.perSecond),
    `poller CPU ${fmt.cpu(x.pollerCpuMsPerMessage)}/msg`,
    fmt.s(x.seconds),
  ]);
  rows.push([
    'poll / consume (best of each)',
    fmt.ratio(r.ratio),
    r.ratio >= 0.9 ? 'target >= 0.90×: met' : 'target >= 0.90×: NOT met',
    '',
  ]);
  return renderTable(
    [`poller drain, ${r.messages.toLocaleString('en')} preloaded, no worker`, 'rate', '', 'time'],
    rows,
  );
}

if (require.main === module) {
  const count = Number(process.env.BENCH_POLL_BACKLOG ?? 10_000);
  const rounds = Number(process.env.BENCH_POLL_ROUNDS ?? 2);
  pollVsConsume(makeEnvelopes(count, 1), rounds)
    .then((r) => process.stdout.write(renderPollVsConsume(r) + '\n'))
    .catch((err: unknown) => {
      process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    });
}
