/**
 * Where the time of a steady run goes: `pnpm --filter @cprh/bench run steady [rate] [seconds]`
 * runs the steady load of `pnpm bench` alone and splits each measured message's latency by its
 * inbox job's own timestamps: publish → in the inbox (RabbitMQ + poller + inbox write), in the
 * inbox → taken by the worker (queue wait, order waits), taken → stream entry (parse + dispatch).
 * The slowest 1% are shown apart, so the p99 has a place. BENCH_WARMUP_SECONDS as in the bench.
 */
import type Redis from 'ioredis';
import { benchSettings } from './bench-settings';
import { makeEnvelopes } from './envelopes';
import { percentile } from './percentiles';
import type { RunNames } from './pipeline-processes';
import { steadyLoad } from './steady-load';

interface Split {
  total: number;
  toInbox: number;
  queued: number;
  processing: number;
  /** Times the job was taken (more than 1: it waited for its turn or was retried). */
  starts: number;
  behind: boolean;
  /** Stream entry time (ms), to see whether slow ones come in bursts. */
  at: number;
}

async function splits(redis: Redis, names: RunNames, sentAt: Map<string, number>): Promise<Split[]> {
  const entryAt = new Map<string, number>();
  let from = '-';
  for (;;) {
    const page = await redis.xrange(names.stream, from, '+', 'COUNT', 1000);
    for (const [id, fields] of page)
      entryAt.set(fields[fields.indexOf('id') + 1] ?? '', Number(id.split('-')[0]));
    if (page.length < 1000) break;
    from = `(${page[page.length - 1]?.[0] ?? ''}`;
  }
  const out: Split[] = [];
  const ids = [...sentAt.keys()];
  for (let i = 0; i < ids.length; i += 500) {
    const pipe = redis.pipeline();
    const chunk = ids.slice(i, i + 500);
    for (const b of chunk)
      pipe.hmget(`${names.prefix}:inbox:b-${b}`, 'timestamp', 'processedOn', 'ats', 'data');
    const res = (await pipe.exec()) ?? [];
    chunk.forEach((b, j) => {
      const [ts, processedOn, ats, data] = (res[j]?.[1] ?? []) as (string | null)[];
      const sent = sentAt.get(b) ?? NaN;
      const entry = entryAt.get(b) ?? NaN;
      out.push({
        total: entry - sent,
        toInbox: Number(ts) - sent,
        queued: Number(processedOn) - Number(ts),
        processing: entry - Number(processedOn),
        starts: Number(ats ?? 1),
        behind: (data ?? '').includes('"behind":true'),
        at: entry,
      });
    });
  }
  return out;
}

function row(label: string, values: number[]): string {
  const s = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / Math.max(1, s.length);
  return `${label.padEnd(12)} p50 ${percentile(s, 50)}  p90 ${percentile(s, 90)}  p99 ${percentile(s, 99)}  max ${s[s.length - 1]}  mean ${mean.toFixed(1)}`;
}

async function main(): Promise<void> {
  const s = benchSettings();
  const rate = Number(process.argv[2] ?? s.rate);
  const seconds = Number(process.argv[3] ?? s.seconds);
  const warmup = rate * s.warmupSeconds;
  const envelopes = makeEnvelopes(warmup + rate * seconds, 1);
  let all: Split[] = [];
  const r = await steadyLoad(envelopes, rate, warmup, async (redis, names, sentAt) => {
    all = await splits(redis, names, sentAt);
  });
  process.stdout.write(
    `steady ${rate}/s for ${seconds} s: p50 ${r.p50} p99 ${r.p99} max ${r.max} ms; AOF rewrites in the window: ${r.aofRewrites}\n`,
  );
  const slow = [...all].sort((a, b) => b.total - a.total).slice(0, Math.ceil(all.length / 100));
  for (const [name, set] of [
    ['all', all],
    ['slowest 1%', slow],
  ] as const) {
    process.stdout.write(`-- ${name} (${set.length}), ms\n`);
    process.stdout.write(
      row(
        'total',
        set.map((x) => x.total),
      ) + '\n',
    );
    process.stdout.write(
      row(
        'to inbox',
        set.map((x) => x.toInbox),
      ) + '\n',
    );
    process.stdout.write(
      row(
        'queued',
        set.map((x) => x.queued),
      ) + '\n',
    );
    process.stdout.write(
      row(
        'processing',
        set.map((x) => x.processing),
      ) + '\n',
    );
    process.stdout.write(
      `taken more than once: ${set.filter((x) => x.starts > 1).length}, behind: ${set.filter((x) => x.behind).length}\n`,
    );
  }
  const t0 = Math.min(...all.map((x) => x.at));
  const bySecond = new Map<number, number>();
  for (const x of slow)
    bySecond.set(Math.floor((x.at - t0) / 1000), (bySecond.get(Math.floor((x.at - t0) / 1000)) ?? 0) + 1);
  process.stdout.write(`slowest 1% by second of the run: ${JSON.stringify(Object.fromEntries(bySecond))}\n`);
  // Per second: is the run keeping up (flat) or falling behind (rising), and where the spikes are.
  const per = new Map<number, number[]>();
  for (const x of all) {
    const sec = Math.floor((x.at - t0) / 1000);
    per.set(sec, [...(per.get(sec) ?? []), x.total]);
  }
  const line = [...per.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(
      ([sec, v]) =>
        `${sec}:${percentile(
          [...v].sort((a, b) => a - b),
          50,
        )}/${Math.max(...v)}`,
    );
  process.stdout.write(`p50/max by second: ${line.join(' ')}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`steady: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
