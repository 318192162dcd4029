/**
 * The bench's knobs. BENCH_SMOKE=1 shrinks every run (a quick check that the harness works, not
 * figures); single sizes can be overridden. Read here only: this is the bench, not the product.
 */
export interface BenchSettings {
  /** Messages on the preloaded backlog of every throughput run. */
  backlog: number;
  /** Messages waiting in the inbox for the Redis footprint. */
  waiting: number;
  /** Steady load: messages per second and seconds. */
  rate: number;
  seconds: number;
  /** Steady load: seconds sent at the same rate before the measured ones (warm-up, not counted). */
  warmupSeconds: number;
  /** Worker process counts of the scale runs (the first is the end-to-end run). */
  scale: number[];
  /** BENCH_ROUNDS: alternated rounds of bare pipeline, end to end everysec and always (headline ratios). */
  rounds: number;
  /** Give up on a run when nothing moved for this long. */
  stallMs: number;
  smoke: boolean;
  /** BENCH_REDIS_ARGS: more redis-server arguments for every private Redis (experiments). */
  redisArgs: string[];
  /** BENCH_SCRIPT_TIMES=1: throughput runs time each script on Redis (script-times.ts; slows Redis). */
  scriptTimes: boolean;
}

function num(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return n;
}

function scaleList(raw: string): number[] {
  const list = raw.split(',').map((s) => Number(s.trim()));
  if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n <= 0 || n > 16)) {
    throw new Error(`BENCH_SCALE must be a list of worker counts like 1,2,4, got "${raw}"`);
  }
  return list;
}

export function benchSettings(): BenchSettings {
  const smoke = process.env.BENCH_SMOKE === '1';
  return {
    backlog: num('BENCH_BACKLOG', smoke ? 2000 : 50000),
    waiting: num('BENCH_WAITING', smoke ? 1000 : 10000),
    rate: num('BENCH_RATE', smoke ? 200 : 1000),
    seconds: num('BENCH_SECONDS', smoke ? 5 : 30),
    warmupSeconds: num('BENCH_WARMUP_SECONDS', smoke ? 1 : 3),
    scale: scaleList(process.env.BENCH_SCALE ?? '1,2,4'),
    rounds: num('BENCH_ROUNDS', smoke ? 1 : 3),
    stallMs: 60000,
    smoke,
    redisArgs: (process.env.BENCH_REDIS_ARGS ?? '').split(' ').filter((a) => a !== ''),
    scriptTimes: process.env.BENCH_SCRIPT_TIMES === '1',
  };
}
