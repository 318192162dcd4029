/**
 * One throughput run on its own, for profiling: `pnpm --filter @cprh/bench run profile [real|noop] [n] [everysec|always]`
 * prints the run's figures as JSON; with BENCH_CPU_PROF=<dir> every pipeline process writes a V8
 * CPU profile there (open it in Chrome DevTools). Settings such as WORKER_CONCURRENCY pass through.
 */
import { makeEnvelopes } from './envelopes';
import { runPipeline } from './pipeline-run';

async function main(): Promise<void> {
  const worker = process.argv[2] === 'noop' ? 'noop' : 'real';
  const n = Number(process.argv[3] ?? 30000);
  const r = await runPipeline({
    label: worker,
    envelopes: makeEnvelopes(n, 1),
    workers: 1,
    worker,
    aof: process.argv[4] === 'always' ? 'always' : 'everysec',
    stallMs: 60000,
  });
  process.stdout.write(JSON.stringify(r, null, 2) + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`profile: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
