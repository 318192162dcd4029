import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { loadTenants } from '@cprh/config';
import { createInboxQueue, InboxWriter, type ReceivedMessage } from '@cprh/pipeline';
import { EventGenerator, haendelsesbeskedXml } from '@cprh/simulator';
import { sleep } from '@cprh/testkit';
import { summarize, type LatencySummary } from './percentiles';
import { pipelineEnv, runNames, spawnWorker, type MeasuredProcess } from './pipeline-processes';
import { startBenchRedis } from './private-redis';
import { fmt, renderTable } from './report-table';

/**
 * Issue 20, fairness: tenant A has a bulk correction waiting in its inbox while tenant B gets a
 * steady trickle. One worker process (TENANTS_FILE, its own process) serves both. B's latency
 * (inbox -> stream entry) is measured alone and while A drains, and A's drain rate beside it.
 */
export interface FairnessOptions {
  /** Events already in A's inbox when its drain starts. */
  backlog: number;
  /** B's events per second. */
  rate: number;
  /** Seconds of B alone (measured), after `warmupSeconds` not counted. */
  aloneSeconds: number;
  warmupSeconds: number;
  /**
   * One run each: WORKER_CONCURRENCY and WORKER_FAIR_CONCURRENCY (what each tenant gets while both
   * have work). `64/16` is the product's default; `64/64` turns the fair share off.
   */
  concurrency: { full: number; fair: number }[];
}

/** One run per WORKER_CONCURRENCY, the product's default first. */
export interface FairnessResult {
  runs: FairnessRun[];
}

export interface FairnessRun {
  backlog: number;
  rate: number;
  /** B's latency with A idle. */
  alone: LatencySummary;
  /** B's latency for the events written while A's backlog drained. */
  during: LatencySummary;
  /** From A's resume to its last stream entry. */
  drainSeconds: number;
  drainPerSecond: number;
  workerConcurrency: number;
  fairConcurrency: number;
}

const TENANT_A = 'bulk';
const TENANT_B = 'quiet';
const WRITE_BATCH = 500;

/**
 * BENCH_FAIRNESS_BACKLOG (default 20,000; BENCH_SMOKE=1: 2,000) and BENCH_FAIRNESS_RATE
 * (default 50/s); `backlogArg` (the script's --backlog) wins over the environment.
 */
export function fairnessOptions(backlogArg?: number): FairnessOptions {
  const smoke = process.env.BENCH_SMOKE === '1';
  const num = (name: string, fallback: number): number => {
    const raw = process.env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
    return n;
  };
  return {
    backlog: backlogArg ?? num('BENCH_FAIRNESS_BACKLOG', smoke ? 2000 : 20000),
    rate: num('BENCH_FAIRNESS_RATE', 50),
    aloneSeconds: smoke ? 4 : 15,
    warmupSeconds: smoke ? 1 : 3,
    concurrency: concurrencyList(process.env.BENCH_FAIRNESS_CONCURRENCY ?? '64/16,64/64'),
  };
}

function concurrencyList(raw: string): { full: number; fair: number }[] {
  const list = raw.split(',').map((x) => {
    const [full, fair] = x.trim().split('/').map(Number);
    return { full: full ?? NaN, fair: fair ?? full ?? NaN };
  });
  const ok = (n: number): boolean => Number.isInteger(n) && n > 0 && n <= 1000;
  if (list.length === 0 || list.some((c) => !ok(c.full) || !ok(c.fair))) {
    throw new Error(`BENCH_FAIRNESS_CONCURRENCY must be a list like 64/8,64/64, got "${raw}"`);
  }
  return list;
}

/** Realistic messages, made on demand (100,000 of ~5 KB need not sit in this process at once). */
class Messages {
  private readonly gen: EventGenerator;

  constructor(seed: number) {
    this.gen = new EventGenerator({ seed, populationSize: 60000, start: new Date('2026-06-01T08:00:00Z') });
  }

  next(): { beskedId: string; message: ReceivedMessage } {
    const e = this.gen.next();
    return {
      beskedId: e.beskedId.toLowerCase(),
      message: {
        body: Buffer.from(haendelsesbeskedXml(e), 'utf8'),
        source: 'urn:bench:fairness',
        receivedAt: Date.now(),
        channel: { kind: 'push', certSubject: undefined, certFingerprint256: undefined },
      },
    };
  }
}

export async function fairness(o: FairnessOptions): Promise<FairnessResult> {
  const runs: FairnessRun[] = [];
  for (const concurrency of o.concurrency) runs.push(await fairnessRun(o, concurrency));
  return { runs };
}

async function fairnessRun(
  o: FairnessOptions,
  concurrency: { full: number; fair: number },
): Promise<FairnessRun> {
  const names = runNames();
  const redis = await startBenchRedis('everysec');
  const dir = mkdtempSync(join(tmpdir(), 'cprh-bench-fairness-'));
  const conn = new Redis(redis.url);
  let worker: MeasuredProcess | undefined;
  const closers: (() => Promise<unknown>)[] = [];
  try {
    const file = join(dir, 'tenants.json');
    writeFileSync(
      file,
      JSON.stringify({
        tenants: [
          { id: TENANT_A, cvr: '10000001', dueslag: randomUUID() },
          { id: TENANT_B, cvr: '10000002', dueslag: randomUUID() },
        ],
      }),
    );
    const env = {
      ...pipelineEnv(names, redis.url),
      TENANTS_FILE: file,
      WORKER_CONCURRENCY: String(concurrency.full),
      WORKER_FAIR_CONCURRENCY: String(concurrency.fair),
    };
    const [a, b] = loadTenants(['pipeline'], env).map((t) => t.config.pipeline);
    if (a === undefined || b === undefined) throw new Error('fairness: two tenants expected');
    const inboxA = createInboxQueue(conn, a);
    const inboxB = createInboxQueue(conn, b);
    closers.push(
      () => inboxA.close(),
      () => inboxB.close(),
    );
    const writerA = new InboxWriter(conn, inboxA, a);
    const writerB = new InboxWriter(conn, inboxB, b);

    worker = spawnWorker('real', env, 0);
    await worker.proc.waitForLine(/worker ready/, 60000);

    // B alone: a warm-up (not counted), then the measured trickle.
    const quiet = new Messages(2);
    const trickle = new Trickle(writerB, quiet, o.rate);
    await trickle.run(() => trickle.sent.size >= o.rate * o.warmupSeconds);
    const warm = new Set(trickle.sent.keys());
    const aloneStart = trickle.sent.size;
    await trickle.run(() => trickle.sent.size - aloneStart >= o.rate * o.aloneSeconds);
    await waitForEntries(conn, b.eventsStream, trickle.sent.size);
    const aloneLatencies = await latencies(conn, b.eventsStream, trickle.sent, (id) => !warm.has(id));

    // A's bulk correction lands in its inbox while A's queue is paused, so all of it waits when the
    // drain starts; B keeps its trickle from the resume until A's last event is in A's stream.
    await inboxA.pause();
    const bulk = new Messages(1);
    for (let left = o.backlog; left > 0; left -= WRITE_BATCH) {
      const batch = Array.from({ length: Math.min(WRITE_BATCH, left) }, () => bulk.next().message);
      await writerA.persist(batch);
    }
    const before = new Set(trickle.sent.keys());
    const early = await conn.xlen(a.eventsStream);
    if (early > 0) throw new Error(`fairness: ${early} of A's events went before the resume (pause failed)`);
    const resumedAt = Date.now();
    await inboxA.resume();
    let drained = false;
    const watch = (async () => {
      while ((await conn.xlen(a.eventsStream)) < o.backlog) await sleep(100);
      drained = true;
    })();
    await trickle.run(() => drained);
    await watch;
    const lastA = await conn.xrevrange(a.eventsStream, '+', '-', 'COUNT', 1);
    const drainEnd = entryMs(lastA[0]?.[0] ?? '');
    await waitForEntries(conn, b.eventsStream, trickle.sent.size);
    const during = await latencies(
      conn,
      b.eventsStream,
      trickle.sent,
      (id) => !before.has(id) && (trickle.sent.get(id) ?? Infinity) <= drainEnd,
    );
    const drainSeconds = (drainEnd - resumedAt) / 1000;
    return {
      backlog: o.backlog,
      rate: o.rate,
      alone: summarize(aloneLatencies),
      during: summarize(during),
      drainSeconds,
      drainPerSecond: o.backlog / drainSeconds,
      workerConcurrency: concurrency.full,
      fairConcurrency: concurrency.fair,
    };
  } finally {
    await worker?.proc.stop('SIGTERM').catch(() => undefined);
    for (const close of closers) await close().catch(() => undefined);
    conn.disconnect();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** B's writer: one message at a time through the InboxWriter, at `rate` a second on a 10 ms clock. */
class Trickle {
  /** BeskedId -> when its write began (ms). */
  readonly sent = new Map<string, number>();
  private written = 0;
  private startedAt = 0;

  constructor(
    private readonly writer: InboxWriter,
    private readonly messages: Messages,
    private readonly rate: number,
  ) {}

  /** Writes at the rate until `done()`, on a clock of its own (a pause between runs is not owed). */
  async run(done: () => boolean): Promise<void> {
    this.startedAt = Date.now();
    this.written = 0;
    while (!done()) {
      const due = Math.floor(((Date.now() - this.startedAt) * this.rate) / 1000) + 1;
      while (this.written < due && !done()) {
        const { beskedId, message } = this.messages.next();
        const at = Date.now();
        this.sent.set(beskedId, at);
        await this.writer.persist([{ ...message, receivedAt: at }]);
        this.written++;
      }
      await sleep(10);
    }
  }
}

function entryMs(entryId: string): number {
  return Number(entryId.split('-')[0]);
}

async function waitForEntries(redis: Redis, stream: string, n: number): Promise<void> {
  const deadline = Date.now() + 300000;
  while ((await redis.xlen(stream)) < n) {
    if (Date.now() > deadline) throw new Error(`fairness: ${stream} did not reach ${n} entries`);
    await sleep(100);
  }
}

/** Entry time minus write time of each written event `counted` selects. */
async function latencies(
  redis: Redis,
  stream: string,
  sentAt: ReadonlyMap<string, number>,
  counted: (beskedId: string) => boolean,
): Promise<number[]> {
  const out: number[] = [];
  let from = '-';
  for (;;) {
    const page = await redis.xrange(stream, from, '+', 'COUNT', 1000);
    for (const [id, fields] of page) {
      const beskedId = fields[fields.indexOf('id') + 1] ?? '';
      const sent = sentAt.get(beskedId);
      if (sent !== undefined && counted(beskedId)) out.push(entryMs(id) - sent);
    }
    if (page.length < 1000) return out;
    from = `(${page[page.length - 1]?.[0] ?? ''}`;
  }
}

export function renderFairness(r: FairnessResult): string {
  const lat = (s: LatencySummary): string => `${fmt.ms(s.p50)} / ${fmt.ms(s.p99)} / ${fmt.ms(s.max)}`;
  return renderTable(
    ['fairness: one worker process, 2 tenants', 'p50 / p99 / max', 'what'],
    r.runs.flatMap((run) => {
      const c = `CONCURRENCY ${run.workerConcurrency}/${run.fairConcurrency}`;
      return [
        [
          `${c}: B alone, ${run.rate}/s`,
          lat(run.alone),
          `inbox write -> stream entry, ${run.alone.count} events`,
        ],
        [
          `${c}: B while A drains ${run.backlog.toLocaleString('en')}`,
          lat(run.during),
          `${run.during.count} events; p99 ${fmt.ratio(run.during.p99 / run.alone.p99)} of alone`,
        ],
        [
          `${c}: A's drain`,
          fmt.rate(run.drainPerSecond),
          `${fmt.s(run.drainSeconds)} for ${run.backlog.toLocaleString('en')}`,
        ],
      ];
    }),
  );
}
